using System.Globalization;
using System.Text;

namespace Appliance.TestBackend;

/// <summary>
/// A request head as the origin received it. Parsing is deliberately lenient about syntax (bare LF line ends,
/// any bytes in values) because the origin's job is to record what the proxy forwarded, not to police it; it
/// refuses only what leaves the body length ambiguous, so a smuggling attempt that got through is recorded and
/// then cut off instead of being misread.
/// </summary>
internal sealed class OriginRequestHead
{
    private OriginRequestHead(string requestLine, string method, string target, string version,
        IReadOnlyList<(string Name, string Value)> headers, string headerBlock)
    {
        RequestLine = requestLine;
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
        HeaderBlock = headerBlock;
    }

    public string RequestLine { get; }

    public string Method { get; }

    public string Target { get; }

    public string Version { get; }

    /// <summary>Field lines in arrival order, name as received, value without surrounding whitespace.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers { get; }

    /// <summary>The field lines as received, each ending in CRLF: the body of a <c>/headers</c> answer.</summary>
    public string HeaderBlock { get; }

    public RequestFraming Framing { get; private set; }

    /// <summary>Body length when <see cref="Framing"/> is <see cref="RequestFraming.Length"/>.</summary>
    public long ContentLength { get; private set; }

    public bool IsHeadMethod => Method == "HEAD";

    /// <summary>The path without the query.</summary>
    public string Path => Target.IndexOf('?') is >= 0 and var query ? Target[..query] : Target;

    /// <summary>HTTP/1.1 unless <c>Connection: close</c>; HTTP/1.0 only with <c>Connection: keep-alive</c>.</summary>
    public bool KeepAlive =>
        Version == "HTTP/1.1" ? !HasToken("Connection", "close") : HasToken("Connection", "keep-alive");

    public bool ExpectsContinue =>
        Version == "HTTP/1.1" && Headers.Any(h => IsField(h.Name, "Expect") && h.Value.Equals("100-continue", StringComparison.OrdinalIgnoreCase));

    public bool IsWebSocketUpgrade => HasToken("Upgrade", "websocket") && HasToken("Connection", "upgrade");

    public string? Field(string name) => Headers.FirstOrDefault(h => IsField(h.Name, name)).Value;

    /// <summary>
    /// Parses <paramref name="head"/> (request line and field lines, the final empty line excluded). Returns null
    /// with <paramref name="error"/> when the head cannot be understood or its body length is ambiguous.
    /// </summary>
    public static OriginRequestHead? Parse(ReadOnlySpan<byte> head, out string? error)
    {
        // Latin-1 maps every byte to one char, so whatever arrived is recorded without loss.
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split('\n').Select(line => line.EndsWith('\r') ? line[..^1] : line).ToArray();
        var requestLine = lines[0];
        var parts = requestLine.Split(' ');
        if (parts.Length != 3)
        {
            error = parts.Length == 2 ? "request line without version (HTTP/0.9)" : "malformed request line";
            return null;
        }

        if (parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
        {
            error = $"unsupported version '{parts[2]}'";
            return null;
        }

        var headers = new List<(string, string)>(lines.Length - 1);
        var block = new StringBuilder();
        foreach (var line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                error = "field line without name or colon";
                return null;
            }

            headers.Add((line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
            block.Append(line).Append("\r\n");
        }

        var parsed = new OriginRequestHead(requestLine, parts[0], parts[1], parts[2], headers, block.ToString());
        error = parsed.ResolveFraming();
        return error is null ? parsed : null;
    }

    private string? ResolveFraming()
    {
        var codings = Headers.Where(h => IsField(h.Name, "Transfer-Encoding"))
            .SelectMany(h => h.Value.Split(','))
            .Select(coding => coding.Trim(' ', '\t').ToLowerInvariant())
            .ToList();
        var lengths = Headers.Where(h => IsField(h.Name, "Content-Length"))
            .SelectMany(h => h.Value.Split(','))
            .Select(value => value.Trim(' ', '\t'))
            .ToList();

        if (codings.Count > 0)
        {
            if (lengths.Count > 0)
            {
                return "both Content-Length and Transfer-Encoding";
            }

            if (codings[^1] != "chunked")
            {
                return "final transfer coding is not chunked";
            }

            Framing = RequestFraming.Chunked;
            return null;
        }

        if (lengths.Count > 0)
        {
            if (lengths.Distinct(StringComparer.Ordinal).Count() != 1
                || !lengths[0].All(char.IsAsciiDigit)
                || !long.TryParse(lengths[0], NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            {
                return "invalid or conflicting Content-Length";
            }

            Framing = RequestFraming.Length;
            ContentLength = length;
            return null;
        }

        Framing = RequestFraming.None;
        return null;
    }

    private bool HasToken(string field, string token) =>
        Headers.Where(h => IsField(h.Name, field))
            .SelectMany(h => h.Value.Split(','))
            .Any(value => value.Trim(' ', '\t').Equals(token, StringComparison.OrdinalIgnoreCase));

    private static bool IsField(string name, string expected) => name.Equals(expected, StringComparison.OrdinalIgnoreCase);
}
