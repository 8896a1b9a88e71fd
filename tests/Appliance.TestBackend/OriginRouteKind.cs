namespace Appliance.TestBackend;

/// <summary>What the <c>http</c> mode does with a request, chosen by the first path segment.</summary>
internal enum OriginRouteKind
{
    /// <summary>Any other path: 200, body = the backend name.</summary>
    Name,

    /// <summary><c>/echo</c>: the body back, streamed, framed like the request (Content-Length or the same chunks).</summary>
    Echo,

    /// <summary><c>/sha</c>: body <c>&lt;length&gt; &lt;sha256 hex&gt;</c> of the request body.</summary>
    Sha,

    /// <summary><c>/bytes/N</c>: N bytes of the deterministic stream with Content-Length.</summary>
    Bytes,

    /// <summary><c>/chunked/N</c>: N bytes of the deterministic stream, chunked, in chunks of varying size.</summary>
    Chunked,

    /// <summary><c>/status/N</c> (200..599): that status; no body for 204 and 304.</summary>
    Status,

    /// <summary><c>/slow/MS</c>: the <see cref="Name"/> answer after MS milliseconds.</summary>
    Slow,

    /// <summary><c>/close</c>: the <see cref="Name"/> answer with <c>Connection: close</c>, then close.</summary>
    Close,

    /// <summary><c>/garbage</c>: bytes that are not an HTTP response, then close.</summary>
    Garbage,

    /// <summary><c>/hang</c>: read the request, never answer, hold the connection until the peer closes.</summary>
    Hang,

    /// <summary><c>/drop</c>: read the request, close without answering.</summary>
    Drop,

    /// <summary><c>/ws</c>: WebSocket upgrade (101), then echo raw bytes until the peer half-closes.</summary>
    WebSocket,

    /// <summary><c>/headers</c>: body = the request's field lines as received.</summary>
    Headers,

    /// <summary><c>/stats</c>: JSON counters; not recorded.</summary>
    Stats,

    /// <summary>A numbered path whose number is missing or out of range: 400 from the origin.</summary>
    Invalid,
}
