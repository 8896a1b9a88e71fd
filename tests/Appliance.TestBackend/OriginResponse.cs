using System.Text;

namespace Appliance.TestBackend;

/// <summary>
/// Builds the origin's response heads. Every head names the origin (<c>X-Backend</c>), the backend connection
/// it arrived on (<c>X-Backend-Connection</c>, the record's connection number) and the request-target it
/// answers (<c>X-Request-Target</c>), so a test can tell which server, which pooled connection and which of
/// several pipelined requests a response belongs to without reading the record.
/// </summary>
internal sealed class OriginResponse(string name, long connection)
{
    public byte[] Head(int status, string reason, string target, IEnumerable<string> fields, bool close)
    {
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n")
            .Append("X-Backend: ").Append(name).Append("\r\n")
            .Append("X-Backend-Connection: ").Append(connection).Append("\r\n")
            .Append("X-Request-Target: ").Append(HeaderSafe(target)).Append("\r\n");
        foreach (var field in fields)
        {
            head.Append(field).Append("\r\n");
        }

        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
    }

    /// <summary>A complete response with a Content-Length body (the body is left out for HEAD).</summary>
    public byte[] WithBody(int status, string reason, string target, string contentType, byte[] body, bool close,
        bool headRequest, IEnumerable<string>? extraFields = null)
    {
        var fields = new List<string> { $"Content-Type: {contentType}", $"Content-Length: {body.Length}" };
        fields.AddRange(extraFields ?? []);
        var head = Head(status, reason, target, fields, close);
        return headRequest ? head : [.. head, .. body];
    }

    /// <summary>Reason phrases for the statuses <c>/status/N</c> is likely to be asked for; others get a generic one.</summary>
    public static string ReasonOf(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };

    // A request-target is echoed in a header; anything that could break the header line is replaced.
    private static string HeaderSafe(string text) =>
        new(text.Select(c => c is > ' ' and < (char)0x7f ? c : '?').ToArray());
}
