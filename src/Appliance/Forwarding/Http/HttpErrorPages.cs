using System.Text;

namespace Appliance.Forwarding.Http;

/// <summary>
/// The small built-in answers the proxy sends itself (HAProxy-style: status line, no-cache, close,
/// a one-line HTML body; on a kept connection the session rewrites the head without the close). Built
/// once; sending one allocates nothing.
/// </summary>
internal static class HttpErrorPages
{
    private static readonly Dictionary<int, byte[]> Pages = new()
    {
        [400] = Build(400, "Bad Request", "Your browser sent an invalid request."),
        [403] = Build(403, "Forbidden", "Request forbidden by administrative rules."),
        [408] = Build(408, "Request Time-out", "Your browser didn't send a complete request in time."),
        [413] = Build(413, "Payload Too Large", "The request is larger than the proxy accepts."),
        [414] = Build(414, "URI Too Long", "The request line is longer than the proxy accepts."),
        [431] = Build(431, "Request Header Fields Too Large", "The request head is larger than the proxy accepts."),
        [500] = Build(500, "Internal Server Error", "An internal server error occurred."),
        [501] = Build(501, "Not Implemented", "The request uses something the proxy does not implement."),
        [502] = Build(502, "Bad Gateway", "The server returned an invalid or incomplete response."),
        [503] = Build(503, "Service Unavailable", "No server is available to handle this request."),
        [504] = Build(504, "Gateway Time-out", "The server didn't respond in time."),
        [505] = Build(505, "HTTP Version Not Supported", "The request uses an HTTP version the proxy does not support."),
    };

    /// <summary>The page for <paramref name="status"/> (400 when there is no specific one).</summary>
    public static byte[] For(int status) => Pages.TryGetValue(status, out byte[]? page) ? page : Pages[status >= 500 ? 500 : 400];

    private static byte[] Build(int status, string reason, string message)
    {
        string body = $"<html><body><h1>{status} {reason}</h1>\n{message}\n</body></html>\n";
        string text = $"HTTP/1.1 {status} {reason}\r\ncontent-length: {Encoding.ASCII.GetByteCount(body)}\r\n"
                    + "cache-control: no-cache\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n" + body;
        return Encoding.ASCII.GetBytes(text);
    }
}
