namespace Appliance.Http;

/// <summary>What a chunked decoding call concluded.</summary>
public enum ChunkedDecodeStatus : byte
{
    /// <summary>All consumed bytes belong to the body and it has not ended yet.</summary>
    NeedMoreBytes = 0,
    /// <summary>The body ended (last chunk and trailer section) within the consumed bytes.</summary>
    Complete,
    /// <summary>The bytes violate the chunked grammar; the message cannot be delimited.</summary>
    Error,
}
