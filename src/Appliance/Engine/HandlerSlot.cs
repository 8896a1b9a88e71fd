namespace Appliance.Engine;

/// <summary>A handler's place in its shard's slot table (epoll token) and timer queue.</summary>
internal sealed class HandlerSlot
{
    public HandlerSlot(int index) => Index = index;

    public int Index { get; }

    /// <summary>Bumped each time the slot is released, so stale epoll events and timers are ignored.</summary>
    public uint Generation { get; set; }

    public IConnectionHandler? Handler { get; set; }

    /// <summary>Due time of the slot's live timer entry, or <see cref="TimerQueue.Never"/>.</summary>
    public long ScheduledAt { get; set; } = TimerQueue.Never;
}
