namespace Appliance.Forwarding.Http;

/// <summary>
/// A shard's idle <see cref="HttpExchangeState"/>s. Rent and return on the shard thread only. Keeps at
/// most <see cref="MaxIdle"/> after a burst; the rest go to the garbage collector.
/// </summary>
internal sealed class HttpExchangeStatePool
{
    public const int MaxIdle = 256;

    private readonly Stack<HttpExchangeState> _idle = new();
    private int _inUse;

    /// <summary>States rented and not returned: connections in the middle of an exchange. Any thread.</summary>
    public int InUse => Volatile.Read(ref _inUse);

    public HttpExchangeState Rent()
    {
        Volatile.Write(ref _inUse, _inUse + 1);
        return _idle.TryPop(out HttpExchangeState? state) ? state : new HttpExchangeState();
    }

    public void Return(HttpExchangeState state)
    {
        Volatile.Write(ref _inUse, _inUse - 1);
        state.Reset();
        if (_idle.Count < MaxIdle) _idle.Push(state);
    }
}
