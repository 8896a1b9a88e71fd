namespace Appliance.Engine;

/// <summary>
/// Something that owns a shard slot and receives its epoll events and timer expiries (a session).
/// Called only on the owning shard's thread.
/// </summary>
internal interface IConnectionHandler
{
    /// <summary>Epoll events for one of the handler's descriptors.</summary>
    /// <param name="side"><see cref="EpollToken.ClientSide"/> or <see cref="EpollToken.ServerSide"/>.</param>
    void OnEvents(int side, uint events);

    /// <summary>The earliest time (shard clock, ms) at which the handler needs <see cref="OnTimer"/>.</summary>
    long NextDeadline { get; }

    /// <summary>Called when <see cref="NextDeadline"/> has passed.</summary>
    void OnTimer(long now);
}
