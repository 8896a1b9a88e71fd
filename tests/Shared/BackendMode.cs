namespace Appliance.Testing;

/// <summary>
/// What the test backend does with each accepted connection (its <c>--mode</c> argument, lower-case). Linked into
/// Appliance.TestBackend and Appliance.IntegrationTests so the two cannot drift apart.
/// </summary>
public enum BackendMode
{
    /// <summary>
    /// Scriptable HTTP/1.1 origin (keep-alive, pipelining, chunked, 100-continue): the path chooses the answer
    /// (<c>/echo</c>, <c>/sha</c>, <c>/bytes/N</c>, <c>/chunked/N</c>, <c>/status/N</c>, <c>/slow/MS</c>, <c>/close</c>,
    /// <c>/garbage</c>, <c>/hang</c>, <c>/drop</c>, <c>/ws</c>, <c>/headers</c>, <c>/stats</c>); any other path gets 200 with
    /// body and <c>X-Backend</c> = the name. <c>--record FILE</c> journals every request as JSON lines.
    /// </summary>
    Http,

    /// <summary>Writes <c>NAME\n</c>, then holds the connection until the peer closes.</summary>
    Name,

    /// <summary>Echoes bytes until EOF, then closes.</summary>
    Echo,

    /// <summary>Reads until EOF, then writes <c>&lt;byte count&gt; &lt;sha256 hex&gt;\n</c> and closes.</summary>
    Sha,

    /// <summary>Reads <c>&lt;N&gt;\n</c>, writes N bytes of <c>DeterministicByteStream</c>, then closes.</summary>
    Source,

    /// <summary>Reads <c>&lt;N&gt;\n</c>, writes N bytes of the stream, then resets the connection (RST).</summary>
    Reset,
}
