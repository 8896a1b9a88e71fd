namespace Appliance.Http;

/// <summary>Why a chunked body was refused.</summary>
public enum ChunkedError : byte
{
    None = 0,
    /// <summary>A chunk-size line that does not start with hex digits, or has junk after them.</summary>
    InvalidChunkSize,
    /// <summary>A chunk size above <see cref="long.MaxValue"/>.</summary>
    ChunkSizeOverflow,
    /// <summary>A chunk extension that is not <c>;token[=token|quoted-string]</c>.</summary>
    InvalidChunkExtension,
    /// <summary>A chunk-size or trailer line longer than the decoder's limit.</summary>
    LineTooLong,
    /// <summary>A bare LF, or a CR not followed by LF.</summary>
    InvalidLineEnding,
    /// <summary>Chunk data not followed by CRLF.</summary>
    MissingDataTerminator,
    /// <summary>A trailer line that is not a valid field line (including obs-fold).</summary>
    InvalidTrailerField,
    /// <summary>A framing or routing field (Content-Length, Transfer-Encoding, Host) in the trailers.</summary>
    ForbiddenTrailerField,
    /// <summary>More trailer bytes or fields than the decoder's limits.</summary>
    TrailersTooLarge,
}
