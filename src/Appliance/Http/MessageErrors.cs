namespace Appliance.Http;

/// <summary>Status codes and log texts of <see cref="MessageError"/> values (literals: no allocation).</summary>
public static class MessageErrors
{
    /// <summary>
    /// The status to answer a client whose request head failed with <paramref name="error"/>. An invalid
    /// response is always a 502 for the client, whatever the rule.
    /// </summary>
    public static int RequestStatusCode(this MessageError error) => error switch
    {
        MessageError.None => 0,
        MessageError.RequestLineTooLong => 414,
        MessageError.HeadTooLarge or MessageError.TooManyHeaders => 431,
        MessageError.UnknownTransferCoding => 501,
        MessageError.UnsupportedVersion => 505,
        _ => 400,
    };

    /// <summary>A short text for logs.</summary>
    public static string Describe(this MessageError error) => error switch
    {
        MessageError.None => "none",
        MessageError.InvalidMethod => "invalid method token",
        MessageError.InvalidRequestTarget => "invalid request-target",
        MessageError.TargetFormMismatch => "request-target form not allowed for this method",
        MessageError.MissingVersion => "request line without HTTP version (HTTP/0.9)",
        MessageError.InvalidVersion => "malformed HTTP version",
        MessageError.UnsupportedVersion => "HTTP version not supported",
        MessageError.InvalidStatusLine => "malformed status line",
        MessageError.RequestLineTooLong => "request line too long",
        MessageError.BareLineFeed => "line not terminated by CRLF",
        MessageError.HeadTooLarge => "head too large",
        MessageError.TooManyHeaders => "too many header fields",
        MessageError.ObsoleteLineFolding => "obsolete line folding or leading whitespace",
        MessageError.MissingColon => "field line without colon",
        MessageError.EmptyFieldName => "empty field name",
        MessageError.WhitespaceBeforeColon => "whitespace between field name and colon",
        MessageError.InvalidFieldName => "invalid character in field name",
        MessageError.InvalidFieldValue => "invalid character in field value",
        MessageError.MissingHost => "HTTP/1.1 request without Host",
        MessageError.MultipleHost => "more than one Host field",
        MessageError.InvalidHost => "invalid Host value",
        MessageError.InvalidContentLength => "invalid Content-Length",
        MessageError.ConflictingContentLength => "conflicting Content-Length values",
        MessageError.ContentLengthWithTransferEncoding => "both Content-Length and Transfer-Encoding",
        MessageError.InvalidTransferEncoding => "invalid Transfer-Encoding",
        MessageError.UnknownTransferCoding => "unknown transfer coding",
        MessageError.ChunkedAppliedTwice => "chunked applied more than once",
        MessageError.ChunkedNotFinal => "final transfer coding is not chunked",
        MessageError.TransferEncodingInHttp10 => "Transfer-Encoding in an HTTP/1.0 message",
        _ => "unknown error",
    };
}
