using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Routing.Acls;

namespace Appliance.Stats;

/// <summary>
/// One proxy's <c>stats</c> settings compiled for the HTTP session: whether a request is for the page,
/// and the whole response for it (401 without valid credentials, the CSV for <c>;csv</c>, else the HTML
/// page; a POST from a request <c>stats admin</c> allows changes servers' admin state and answers 303 back
/// to the page, as HAProxy's form; any other method 405). Rendering allocates (it is not the data path)
/// and its size is bounded by the number of proxies and servers. Immutable; called on the shard that got
/// the request.
/// </summary>
internal sealed class StatsPage
{
    /// <summary>Largest admin form body read (a form naming every server of a big backend fits).</summary>
    public const int MaxFormLength = 8 * 1024;

    private readonly StatsEndpoint _endpoint;
    private readonly Condition? _admin;
    private readonly byte[] _uri;
    private readonly byte[][] _users;
    private readonly byte[] _unauthorized;

    public StatsPage(StatsConfig config, StatsEndpoint endpoint, Condition? admin = null)
    {
        Config = config;
        _endpoint = endpoint;
        _admin = admin;
        _uri = Encoding.ASCII.GetBytes(config.Uri);
        _users = [.. config.Users.Select(Encoding.UTF8.GetBytes)];
        _unauthorized = Response(401, "Unauthorized", "text/html",
            "<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.\n</body></html>\n",
            $"WWW-Authenticate: Basic realm=\"{config.Realm}\"\r\n", head: false);
    }

    public StatsConfig Config { get; }

    /// <summary>The request's URI starts with the stats URI (HAProxy's prefix match).</summary>
    public bool Matches(IRequestView request) => request.Url.StartsWith(_uri);

    /// <summary>
    /// An admin form POST that must be answered with its body: authenticated and allowed by <c>stats admin</c>.
    /// Anything else is answered from the head alone.
    /// </summary>
    public bool NeedsBody(IRequestView request) =>
        request.Method.SequenceEqual("POST"u8) && (_users.Length == 0 || Authorized(request)) && AdminAllowed(request);

    private bool AdminAllowed(IRequestView request) => _admin is not null && _admin.Matches(request);

    /// <summary>The whole response for a request that <see cref="Matches"/>; <paramref name="status"/> is its status code.</summary>
    /// <param name="body">The request body when <see cref="NeedsBody"/> said so; empty otherwise.</param>
    public byte[] Respond(IRequestView request, ReadOnlySpan<byte> body, out int status)
    {
        bool head = request.Method.SequenceEqual("HEAD"u8);
        if (_users.Length > 0 && !Authorized(request))
        {
            status = 401;
            return _unauthorized;
        }
        bool post = request.Method.SequenceEqual("POST"u8);
        bool admin = AdminAllowed(request);
        if (!head && !request.Method.SequenceEqual("GET"u8) && !(post && admin))
        {
            status = 405;
            return Response(405, "Method Not Allowed", "text/plain",
                post ? "Admin actions are not allowed for this request (stats admin).\n" : "The statistics page accepts GET and HEAD.\n",
                "Allow: GET, HEAD\r\n", head: false);
        }
        StatsSource? source = _endpoint.Source;
        if (source is null)
        {
            status = 503;
            return Response(503, "Service Unavailable", "text/plain", "statistics not ready\n", "", head);
        }
        if (post)
        {
            string outcome = StatsAdminForm.Apply(source, Encoding.ASCII.GetString(body));
            status = 303;
            return Response(303, "See Other", "text/plain", "", $"Location: {Config.Uri};st={outcome}\r\n", head: false);
        }
        string options = Encoding.ASCII.GetString(request.Url[_uri.Length..]);
        string csv = source.Csv();
        status = 200;
        if (options.Contains(";csv", StringComparison.Ordinal))
        {
            return Response(200, "OK", "text/plain; charset=utf-8", csv, "", head);
        }
        int refresh = options.Contains(";norefresh", StringComparison.Ordinal) ? 0 : Config.Refresh;
        var view = new StatsView(
            refresh,
            OnlyUp: options.Contains(";up", StringComparison.Ordinal),
            CsvLink: Config.Uri + ";csv",
            AdminAction: admin ? Config.Uri : null,
            Outcome: Outcome(options));
        string html = StatsHtml.Render(csv, Info(source), view);
        return Response(200, "OK", "text/html; charset=utf-8", html, "", head);
    }

    /// <summary>The <c>;st=XXXX</c> an admin POST redirected to, as HAProxy's page reports it.</summary>
    private static string? Outcome(string options)
    {
        int at = options.IndexOf(";st=", StringComparison.Ordinal);
        if (at < 0) return null;
        string code = options[(at + 4)..];
        int end = code.IndexOf(';');
        return end < 0 ? code : code[..end];
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
