using System.Globalization;
using System.Text;

namespace Appliance.IntegrationTests.Harness;

/// <summary>An HTTP/1.1 response read off a <see cref="LoopbackConnection"/> (Content-Length bodies only).</summary>
public sealed record HttpReply(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>A request with no body; keep-alive unless <paramref name="close"/>.</summary>
    public static string GetRequest(string path = "/", bool close = false) =>
        $"GET {path} HTTP/1.1\r\nHost: appliance.test\r\n{(close ? "Connection: close\r\n" : "")}\r\n";

    public static HttpReply Read(LoopbackConnection connection)
    {
        var statusLine = connection.ReadLine() ?? throw new EndOfStreamException("EOF before an HTTP status line");
        var parts = statusLine.Split(' ', 3);
        if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int status))
        {
            throw new FormatException($"not an HTTP status line: '{statusLine}'");
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while ((connection.ReadLine() ?? throw new EndOfStreamException("EOF inside HTTP headers")) is { Length: > 0 } line)
        {
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                throw new FormatException($"not an HTTP header: '{line}'");
            }

            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        int length = headers.TryGetValue("Content-Length", out var value)
            ? int.Parse(value, CultureInfo.InvariantCulture)
            : throw new FormatException("response without Content-Length");
        var body = Encoding.UTF8.GetString(connection.ReadExactly(length));
        return new HttpReply(status, headers, body);
    }
}
