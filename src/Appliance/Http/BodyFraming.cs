namespace Appliance.Http;

/// <summary>
/// Where a message body ends, decided from a head that the parser already accepted (so the
/// Content-Length/Transfer-Encoding conflicts are gone by then). RFC 9112 §6.3 in precedence order.
/// </summary>
public readonly record struct BodyFraming(BodyKind Kind, long Length)
{
    public static BodyFraming None => new(BodyKind.None, 0);

    /// <summary>
    /// A request body: chunked, Content-Length N, or none (a request never runs to the close, §6.3 item 7).
    /// </summary>
    public static BodyFraming ForRequest(RequestHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (head.IsChunked) return new(BodyKind.Chunked, 0);
        if (head.HasContentLength) return new(BodyKind.ContentLength, head.ContentLength);
        return None;
    }

    /// <summary>
    /// A response body, which depends on the request it answers: nothing after HEAD, 1xx, 204 or 304;
    /// a tunnel after 2xx to CONNECT (and after 101, the switch of protocols); then chunked,
    /// Content-Length, or until the close.
    /// </summary>
    public static BodyFraming ForResponse(ResponseHead head, RequestMethod requestMethod)
    {
        ArgumentNullException.ThrowIfNull(head);
        int status = head.StatusCode;
        if (status == 101) return new(BodyKind.Tunnel, 0);
        if (requestMethod == RequestMethod.Head || status < 200 || status == 204 || status == 304) return None;
        if (requestMethod == RequestMethod.Connect && status < 300) return new(BodyKind.Tunnel, 0);
        if (head.HasTransferEncoding)
        {
            // §6.3 item 3: final coding not chunked → read until close; §6.1: a 1.0 message with
            // Transfer-Encoding has faulty framing → the same, then close.
            if (head.IsChunked && head.Version == Http1Version.Http11) return new(BodyKind.Chunked, 0);
            return new(BodyKind.CloseDelimited, 0);
        }
        if (head.HasContentLength) return new(BodyKind.ContentLength, head.ContentLength);
        return new(BodyKind.CloseDelimited, 0);
    }
}
