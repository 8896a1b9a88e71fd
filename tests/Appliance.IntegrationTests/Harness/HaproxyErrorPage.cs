namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// HAProxy's built-in error answers (src/http.c, <c>http_err_msgs</c>): status line, <c>content-type: text/html</c>,
/// <c>cache-control: no-cache</c>, and a small body <c>&lt;html&gt;&lt;body&gt;&lt;h1&gt;CODE REASON&lt;/h1&gt;\nSENTENCE\n&lt;/body&gt;&lt;/html&gt;\n</c>.
/// Tests check the status, the reason, those fields and the <c>&lt;h1&gt;</c> text, not every byte. Reasons are
/// compared ignoring case because HAProxy itself writes "400 Bad request". Whether the connection stays open
/// depends on the error: after a request it could not parse (400, 408, 431) HAProxy says <c>connection: close</c>
/// and closes (<see cref="AssertIsClosing"/>); after 502, 503 and 504 HAProxy 2.2+ keeps a kept-alive client
/// connection open (checked with <see cref="HttpExchange.AssertConnectionFieldHonoured"/>).
/// </summary>
public static class HaproxyErrorPage
{
    /// <summary>HAProxy's pages are about 100 bytes; anything near a kilobyte is not one of them.</summary>
    public const int MaxBodyBytes = 512;

    public static string ReasonOf(int status) => status switch
    {
        400 => "Bad request",
        408 => "Request Time-out",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Time-out",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "HAProxy has no built-in page for it"),
    };

    /// <summary>For example <c>&lt;h1&gt;503 Service Unavailable&lt;/h1&gt;</c>.</summary>
    public static string HeadingOf(int status) => $"<h1>{status} {ReasonOf(status)}</h1>";

    /// <summary>Asserts that <paramref name="response"/> is HAProxy's page for <paramref name="status"/>.</summary>
    public static void AssertIs(int status, HttpResponse response, string? context = null)
    {
        var about = $"{context}{(context is null ? "" : "\n")}response was:\n{response}";
        Assert.True(response.Status == status, $"expected status {status}; {about}");
        Assert.True(response.Reason.Equals(ReasonOf(status), StringComparison.OrdinalIgnoreCase),
            $"expected reason '{ReasonOf(status)}'; {about}");
        Assert.True(response.Header("Content-Type")?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true,
            $"expected content-type text/html; {about}");
        Assert.True(response.Header("Cache-Control")?.Contains("no-cache", StringComparison.OrdinalIgnoreCase) == true,
            $"expected cache-control: no-cache; {about}");
        Assert.True(response.Body is not null && response.BodyLength <= MaxBodyBytes, $"expected a small body; {about}");
        Assert.True(response.BodyText.Contains("<html><body>" + HeadingOf(status), StringComparison.OrdinalIgnoreCase),
            $"expected '<html><body>{HeadingOf(status)}' in the body; {about}");
    }

    /// <summary><see cref="AssertIs"/>, and the answer announces that the connection closes (<c>connection: close</c>).</summary>
    public static void AssertIsClosing(int status, HttpResponse response, string? context = null)
    {
        AssertIs(status, response, context);
        Assert.True(response.HasConnectionOption("close"),
            $"expected connection: close; {context}{(context is null ? "" : "\n")}response was:\n{response}");
    }
}
