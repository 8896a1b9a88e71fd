using System.Text;
using Appliance.Config.Model;

namespace Appliance.Rules;

/// <summary>
/// The proxy's own page for each status an <c>errorfile</c> may replace (see
/// <see cref="ErrorFileConfig.Statuses"/>), sent by <c>deny</c>, <c>return default-errorfiles</c> and
/// a failed rewrite when no errorfile is configured. Same shape as HAProxy's: a one-line HTML body,
/// <c>cache-control: no-cache</c>, and <c>connection: close</c> (as sent when the connection closes after
/// the answer; on a kept connection the session rewrites the head without it). Built once; shared by all shards.
/// </summary>
internal static class BuiltInErrorPages
{
    private static readonly Dictionary<int, byte[]> Pages = Build();

    /// <summary>The page for <paramref name="status"/>; precondition: one of <see cref="ErrorFileConfig.Statuses"/>.</summary>
    public static byte[] For(int status) => Pages[status];

    private static Dictionary<int, byte[]> Build()
    {
        var pages = new Dictionary<int, byte[]>();
        foreach (int status in ErrorFileConfig.Statuses) pages.Add(status, Page(status, Message(status)));
        return pages;
    }

    private static string Message(int status) => status switch
    {
        200 => "The proxy is ready.",
        400 => "The request is not valid HTTP.",
        401 => "This content needs a valid user name and password.",
        403 => "The request is forbidden by the proxy's rules.",
        404 => "Nothing was found at this address.",
        405 => "This resource does not accept the request's method.",
        407 => "The proxy needs a valid user name and password.",
        408 => "The request was not received in time.",
        410 => "This resource is gone for good.",
        413 => "The request's body is larger than allowed.",
        421 => "The request reached a server that cannot answer for its host.",
        422 => "The request's instructions cannot be processed.",
        425 => "The request was sent as early data, which is refused.",
        429 => "Too many requests were sent in too short a time.",
        500 => "The proxy failed to process the request.",
        501 => "The request needs a feature the server does not have.",
        502 => "The server sent an invalid or incomplete response.",
        503 => "No server is available for this request.",
        504 => "The server did not answer in time.",
        _ => ReasonPhrases.For(status) + ".",
    };

    private static byte[] Page(int status, string message)
    {
        string reason = ReasonPhrases.For(status);
        string body = $"<html><body><h1>{status} {reason}</h1>\n{message}\n</body></html>\n";
        string text = $"HTTP/1.1 {status} {reason}\r\ncontent-length: {Encoding.ASCII.GetByteCount(body)}\r\n"
                    + "cache-control: no-cache\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n" + body;
        return Encoding.ASCII.GetBytes(text);
    }
}
