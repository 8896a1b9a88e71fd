namespace Appliance.Testing;

/// <summary>
/// What the test backend does with each accepted connection (its <c>--mode</c> argument, lower-case). Linked into
/// Appliance.TestBackend and Appliance.IntegrationTests so the two cannot drift apart.
/// </summary>
public enum BackendMode
{
    /// <summary>HTTP/1.1 keep-alive server: every request gets 200, body and <c>X-Backend</c> = the name.</summary>
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
