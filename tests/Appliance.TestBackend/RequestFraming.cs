namespace Appliance.TestBackend;

/// <summary>How a request body is delimited (RFC 9112 section 6), as the origin understood the head.</summary>
internal enum RequestFraming
{
    /// <summary>No Content-Length and no Transfer-Encoding: no body.</summary>
    None,

    /// <summary>Content-Length.</summary>
    Length,

    /// <summary>Transfer-Encoding ending in chunked.</summary>
    Chunked,
}
