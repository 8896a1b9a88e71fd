namespace Appliance.Http;

/// <summary>How the bytes after a head are delimited (RFC 9112 §6.3).</summary>
public enum BodyKind : byte
{
    /// <summary>No body: the next message starts right after the head.</summary>
    None = 0,
    /// <summary>Exactly <see cref="BodyFraming.Length"/> bytes.</summary>
    ContentLength,
    /// <summary>Chunked: run <see cref="ChunkedBodyDecoder"/> over the bytes to find the end.</summary>
    Chunked,
    /// <summary>Responses only: the body runs until the server closes; the connection cannot be reused.</summary>
    CloseDelimited,
    /// <summary>The connection becomes a tunnel: 2xx to CONNECT, or 101 Switching Protocols.</summary>
    Tunnel,
}
