namespace Appliance.TestBackend;

/// <summary>Receives a request body as it is decoded: <c>/echo</c> streams it back with the same chunking.</summary>
internal interface IBodySink
{
    /// <summary>A chunk of <paramref name="size"/> bytes starts (chunked bodies only; never called for the last chunk).</summary>
    ValueTask ChunkStartAsync(long size, CancellationToken cancel);

    ValueTask DataAsync(ReadOnlyMemory<byte> data, CancellationToken cancel);

    /// <summary>The current chunk's data is complete (chunked bodies only).</summary>
    ValueTask ChunkEndAsync(CancellationToken cancel);
}
