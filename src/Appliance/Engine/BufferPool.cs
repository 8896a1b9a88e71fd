namespace Appliance.Engine;

/// <summary>
/// A shard's I/O buffers (<see cref="BufferSize"/> bytes, HAProxy's <c>tune.bufsize</c> default). A
/// buffer is rented only while a connection has bytes to hold and returned when it is empty, so idle
/// keep-alive connections cost no buffer. Buffers are pinned (allocated on the pinned object heap)
/// because their addresses go straight to recv/send. Owned by one shard thread.
/// </summary>
internal sealed class BufferPool
{
    public const int BufferSize = 16 * 1024;

    private readonly Stack<byte[]> _idle = new();
    private readonly int _maxIdle;
    private int _lowestIdleSinceTrim;

    public BufferPool(int maxIdle) => _maxIdle = maxIdle;

    public byte[] Rent()
    {
        if (_idle.TryPop(out byte[]? buffer))
        {
            if (_idle.Count < _lowestIdleSinceTrim) _lowestIdleSinceTrim = _idle.Count;
            return buffer;
        }
        return GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    }

    public void Return(byte[] buffer)
    {
        if (_idle.Count < _maxIdle) _idle.Push(buffer);
    }

    /// <summary>Drops buffers that stayed idle since the previous call (after a burst).</summary>
    public void Trim()
    {
        for (int i = 0; i < _lowestIdleSinceTrim && _idle.Count > 0; i++) _idle.Pop();
        _lowestIdleSinceTrim = _idle.Count;
    }
}
