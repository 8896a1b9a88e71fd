using System.Globalization;
using System.Text;

namespace Appliance.Rules;

/// <summary>
/// Writes the responses rules send, once, at compile time: HAProxy's layout (status line, the reply's
/// own <c>hdr</c> fields, Content-Length — left out for 204 —, Content-Type when there is a body) plus
/// <c>connection: close</c>: the bytes sent when the connection closes after the answer (on a kept
/// connection the session rewrites the head without it).
/// </summary>
internal static class HttpReplyBuilder
{
    public static byte[] Build(int status, IEnumerable<(string Name, string Value)> headers, string? contentType, ReadOnlySpan<byte> body)
    {
        var head = new StringBuilder();
        head.Append(StatusLine(status));
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (status != 204) head.Append("content-length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (contentType is not null && body.Length > 0) head.Append("content-type: ").Append(contentType).Append("\r\n");
        head.Append("connection: close\r\n\r\n");
        byte[] headBytes = Encoding.UTF8.GetBytes(head.ToString());
        return [.. headBytes, .. body];
    }

    /// <summary>A redirect's bytes up to its Location value.</summary>
    public static byte[] RedirectHead(int code) =>
        Encoding.ASCII.GetBytes(StatusLine(code) + "content-length: 0\r\nlocation: ");

    /// <summary>
    /// A redirect's bytes after its Location value: HAProxy marks the temporary codes (302, 303, 307)
    /// not cacheable, then sets the rule's cookie.
    /// </summary>
    public static byte[] RedirectTail(int code, string? cookie)
    {
        var tail = new StringBuilder("\r\n");
        if (code is 302 or 303 or 307) tail.Append("cache-control: no-cache\r\n");
        if (cookie is not null) tail.Append("set-cookie: ").Append(cookie).Append("\r\n");
        tail.Append("connection: close\r\n\r\n");
        return Encoding.UTF8.GetBytes(tail.ToString());
    }

    private static string StatusLine(int status) =>
        "HTTP/1.1 " + status.ToString(CultureInfo.InvariantCulture) + " " + ReasonPhrases.For(status) + "\r\n";
}
