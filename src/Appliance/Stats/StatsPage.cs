using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Appliance.Config.Model;
using Appliance.Routing;

namespace Appliance.Stats;

/// <summary>
/// One proxy's <c>stats</c> settings compiled for the HTTP session: whether a request is for the page,
/// and the whole response for it (401 without valid credentials, 405 for anything but GET/HEAD, the CSV
/// for <c>;csv</c>, else the HTML page). Rendering allocates (it is not the data path) and its size is
/// bounded by the number of proxies and servers. Immutable; called on the shard that got the request.
/// </summary>
internal sealed class StatsPage
{
    private readonly StatsEndpoint _endpoint;
    private readonly byte[] _uri;
    private readonly byte[][] _users;
    private readonly byte[] _unauthorized;

    public StatsPage(StatsConfig config, StatsEndpoint endpoint)
    {
        Config = config;
        _endpoint = endpoint;
        _uri = Encoding.ASCII.GetBytes(config.Uri);
        _users = [.. config.Users.Select(Encoding.UTF8.GetBytes)];
        _unauthorized = Response(401, "Unauthorized", "text/html",
            "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
            $"WWW-Authenticate: Basic realm=\"{config.Realm}\"\r\n", head: false);
    }

    public StatsConfig Config { get; }

    /// <summary>The request's URI starts with the stats URI (HAProxy's prefix match).</summary>
    public bool Matches(IRequestView request) => request.Url.StartsWith(_uri);

    /// <summary>The whole response for a request that <see cref="Matches"/>; <paramref name="status"/> is its status code.</summary>
    public byte[] Respond(IRequestView request, out int status)
    {
        bool head = request.Method.SequenceEqual("HEAD"u8);
        if (_users.Length > 0 && !Authorized(request))
        {
            status = 401;
            return _unauthorized;
        }
        if (!head && !request.Method.SequenceEqual("GET"u8))
        {
            status = 405;
            return Response(405, "Method Not Allowed", "text/plain",
                Config.AdminWritten ? "Admin actions from this page are not implemented; use the runtime API.\n" : "The statistics page is read-only.\n",
                "Allow: GET, HEAD\r\n", head: false);
        }
        StatsSource? source = _endpoint.Source;
        if (source is null)
        {
            status = 503;
            return Response(503, "Service Unavailable", "text/plain", "statistics not ready\n", "", head);
        }
        string options = Encoding.ASCII.GetString(request.Url[_uri.Length..]);
        string csv = source.Csv();
        status = 200;
        if (options.Contains(";csv", StringComparison.Ordinal))
        {
            return Response(200, "OK", "text/plain; charset=utf-8", csv, "", head);
        }
        int refresh = options.Contains(";norefresh", StringComparison.Ordinal) ? 0 : Config.Refresh;
        string html = StatsHtml.Render(csv, Info(source), refresh, options.Contains(";up", StringComparison.Ordinal), Config.Uri + ";csv");
        return Response(200, "OK", "text/html; charset=utf-8", html, "", head);
    }

    private List<(string, string)> Info(StatsSource source)
    {
        var worker = source.Worker;
        var info = new List<(string, string)>
        {
            ("Process", "appliance, pid " + Environment.ProcessId.ToString(CultureInfo.InvariantCulture)
                        + (source.Generation > 0 ? ", generation " + source.Generation.ToString(CultureInfo.InvariantCulture) : "")),
        };
        if (!Config.HideVersion) info.Add(("Version", BuildInfo.Version));
        info.Add(("Uptime", StatsHtml.Duration(((long)(DateTime.UtcNow - worker.StartedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture))));
        info.Add(("Threads", worker.ShardCount.ToString(CultureInfo.InvariantCulture)));
        info.Add(("Current connections", worker.CurrentConnections.ToString(CultureInfo.InvariantCulture)
                                         + " (maxconn " + worker.Budget.MaxConn.ToString(CultureInfo.InvariantCulture) + ")"));
        info.Add(("Generated", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        return info;
    }

    /// <summary>An <c>Authorization: Basic</c> header whose credentials are one of the configured pairs.</summary>
    private bool Authorized(IRequestView request)
    {
        for (int i = 0; i < request.HeaderFieldCount; i++)
        {
            if (!Ascii.EqualsIgnoreCase(request.HeaderFieldName(i), "authorization"u8)) continue;
            ReadOnlySpan<byte> value = request.HeaderFieldValue(i).Trim((byte)' ');
            if (value.Length < 6 || !Ascii.EqualsIgnoreCase(value[..6], "basic "u8)) return false;
            ReadOnlySpan<byte> encoded = value[6..].Trim((byte)' ');
            if (encoded.Length > 1024) return false;
            Span<byte> decoded = stackalloc byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
            if (Base64.DecodeFromUtf8(encoded, decoded, out _, out int written) != System.Buffers.OperationStatus.Done) return false;
            foreach (byte[] user in _users)
            {
                if (decoded[..written].SequenceEqual(user)) return true;
            }
            return false;
        }
        return false;
    }

    private static byte[] Response(int status, string reason, string contentType, string body, string extraHeaders, bool head)
    {
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        string text = $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {bodyBytes.Length}\r\n" +
                      $"Cache-Control: no-cache\r\n{extraHeaders}Connection: close\r\n\r\n";
        byte[] headBytes = Encoding.ASCII.GetBytes(text);
        if (head) return headBytes;
        byte[] response = new byte[headBytes.Length + bodyBytes.Length];
        headBytes.CopyTo(response, 0);
        bodyBytes.CopyTo(response, headBytes.Length);
        return response;
    }
}
