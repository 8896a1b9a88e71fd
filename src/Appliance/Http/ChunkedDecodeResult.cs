namespace Appliance.Http;

/// <summary>
/// The outcome of one chunked decoding call. <see cref="Consumed"/> bytes from the start of the input
/// belong to the message and may be forwarded as they are; on error it is the offset of the offending byte.
/// </summary>
public readonly record struct ChunkedDecodeResult(ChunkedDecodeStatus Status, int Consumed, ChunkedError Error)
{
    public bool IsComplete => Status == ChunkedDecodeStatus.Complete;

    public bool IsError => Status == ChunkedDecodeStatus.Error;
}
