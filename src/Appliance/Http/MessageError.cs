namespace Appliance.Http;

/// <summary>
/// Why a message head was refused: one value per rule, so logs, metrics and tests name the same thing.
/// <see cref="MessageErrors.RequestStatusCode"/> maps each to the status a client is answered with.
/// </summary>
public enum MessageError : byte
{
    None = 0,

    // Start line
    InvalidMethod,
    InvalidRequestTarget,
    /// <summary>Asterisk-form without OPTIONS, authority-form without CONNECT, CONNECT without authority-form.</summary>
    TargetFormMismatch,
    /// <summary>A request line with no HTTP version: HTTP/0.9.</summary>
    MissingVersion,
    InvalidVersion,
    /// <summary>A well-formed version other than HTTP/1.0 and HTTP/1.1 (505).</summary>
    UnsupportedVersion,
    InvalidStatusLine,
    RequestLineTooLong,

    // Line framing
    BareLineFeed,
    HeadTooLarge,
    TooManyHeaders,

    // Field lines
    /// <summary>A field line starting with whitespace: obs-fold, or whitespace after the start line.</summary>
    ObsoleteLineFolding,
    MissingColon,
    EmptyFieldName,
    WhitespaceBeforeColon,
    InvalidFieldName,
    /// <summary>NUL, CR, LF, DEL or another control (HTAB aside) in a value.</summary>
    InvalidFieldValue,

    // Field semantics
    MissingHost,
    MultipleHost,
    InvalidHost,
    InvalidContentLength,
    ConflictingContentLength,
    ContentLengthWithTransferEncoding,
    InvalidTransferEncoding,
    /// <summary>A transfer coding the proxy does not know (501 for requests).</summary>
    UnknownTransferCoding,
    ChunkedAppliedTwice,
    /// <summary>A request whose final transfer coding is not chunked: its length cannot be known.</summary>
    ChunkedNotFinal,
    TransferEncodingInHttp10,
}
