using System.Text;
using Appliance.Config.Model;

namespace Appliance.Health;

/// <summary>
/// The bytes of an HTTP check request, built once per backend. Sent as configured, like HAProxy: no
/// <c>Host</c> of its own unless the URI is absolute (then its authority), <c>Connection: close</c>
/// unless a <c>Connection</c> header is configured, and <c>Content-Length</c> when there is a body (a
/// request without content should not carry one, RFC 9110 §8.6).
/// </summary>
internal static class HttpCheckRequestWriter
{
    public static byte[] Write(HttpCheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var head = new StringBuilder(128);
        head.Append(request.Method).Append(' ').Append(request.Uri).Append(' ').Append(request.Version).Append("\r\n");
        bool hasHost = false, hasConnection = false;
        foreach (var header in request.Headers)
        {
            hasHost |= header.Name.Equals("host", StringComparison.OrdinalIgnoreCase);
            hasConnection |= header.Name.Equals("connection", StringComparison.OrdinalIgnoreCase);
        }
        if (!hasHost && AbsoluteUriAuthority(request.Uri) is { } authority) head.Append("Host: ").Append(authority).Append("\r\n");
        foreach (var header in request.Headers) head.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        if (!hasConnection) head.Append("Connection: close\r\n");

        byte[] body = request.Body is null ? [] : Encoding.UTF8.GetBytes(request.Body);
        if (request.Body is not null) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        head.Append("\r\n");
        return [.. Encoding.UTF8.GetBytes(head.ToString()), .. body];
    }

    /// <summary>The authority of an absolute-form URI (<c>http://example.com:8080/health</c>), else null.</summary>
    private static string? AbsoluteUriAuthority(string uri)
    {
        int start = uri.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
            : uri.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : -1;
        if (start < 0) return null;
        int end = uri.IndexOfAny(['/', '?', '#'], start);
        string authority = end < 0 ? uri[start..] : uri[start..end];
        return authority.Length > 0 ? authority : null;
    }
}
