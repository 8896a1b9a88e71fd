namespace Appliance.Logging;

/// <summary>
/// stdout or stderr. Lines are batched and written in chunks of at most <see cref="PipeAtomicWrite"/>
/// bytes, so a line never interleaves with another writer's (the event log shares stderr). Writes
/// block when the reader is slow: that stalls the writer thread only, and the shards' rings fill and
/// drop instead.
/// </summary>
internal sealed class StreamLogSink : LogSink
{
    /// <summary>PIPE_BUF on Linux: writes up to this size into a pipe are atomic.</summary>
    private const int PipeAtomicWrite = 4096;

    private readonly Stream _stream;
    private readonly byte[] _batch = new byte[PipeAtomicWrite];
    private int _length;

    public StreamLogSink(Stream stream) => _stream = stream;

    public override bool IsStream => true;

    public override bool Send(ReadOnlySpan<byte> message)
    {
        if (_length + message.Length > _batch.Length) Flush();
        if (message.Length > _batch.Length) return Write(message);
        message.CopyTo(_batch.AsSpan(_length));
        _length += message.Length;
        return true;
    }

    public override void Flush()
    {
        if (_length == 0) return;
        Write(_batch.AsSpan(0, _length));
        _length = 0;
    }

    private bool Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _stream.Write(bytes);
            return true;
        }
        catch (IOException)
        {
            // A closed stdout (reader gone) must not kill the writer thread; the lines are lost.
            return false;
        }
    }

    public override void Dispose() => Flush();
}
