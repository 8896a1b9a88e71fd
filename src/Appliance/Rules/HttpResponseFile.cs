using Appliance.Http;

namespace Appliance.Rules;

/// <summary>
/// Checks that an errorfile holds a whole HTTP response, with the proxy's own strict parser: a complete
/// head that is not interim, and when it declares a Content-Length, a body of exactly that length
/// (HAProxy refuses invalid files too; a file truncated or padded would desynchronise the client).
/// Load time only.
/// </summary>
internal static class HttpResponseFile
{
    /// <summary>Null when valid, otherwise why not.</summary>
    public static string? Check(ReadOnlySpan<byte> content)
    {
        var head = new ResponseHead();
        HeadParseResult result = Http1HeadParser.ParseResponse(content, head);
        if (result.IsError) return result.Reason;
        if (!result.IsComplete) return "the head is incomplete (it must end with an empty line, lines ending with CRLF)";
        if (head.IsInterim) return $"a {head.StatusCode} interim response cannot answer a request";
        int body = content.Length - result.Consumed;
        if (head.HasContentLength && body != head.ContentLength) return $"Content-Length says {head.ContentLength} bytes but the body has {body}";
        return null;
    }
}
