namespace Appliance.Engine;

/// <summary>
/// A shard's timers: a min-heap of (due time, handler) entries checked lazily. A handler's deadline
/// often moves later with activity; instead of re-sorting on every byte, the entry fires at the old
/// time and is re-queued at the handler's current <see cref="IConnectionHandler.NextDeadline"/>.
/// One live entry per handler (tracked with <see cref="Scheduled"/>); superseded entries are skipped.
/// Owned by one shard thread.
/// </summary>
internal sealed class TimerQueue
{
    public const long Never = long.MaxValue;

    private readonly PriorityQueue<Entry, long> _heap = new(1024);

    /// <summary>Makes sure <paramref name="handler"/> is woken no later than its NextDeadline.</summary>
    public void Schedule(HandlerSlot slot)
    {
        long due = slot.Handler!.NextDeadline;
        if (due == Never || due >= slot.ScheduledAt) return;
        slot.ScheduledAt = due;
        _heap.Enqueue(new Entry(slot, slot.Generation, due), due);
    }

    /// <summary>Milliseconds until the next entry is due (capped), for epoll_wait.</summary>
    public int WaitMilliseconds(long now, int cap)
    {
        if (!_heap.TryPeek(out _, out long due)) return cap;
        long wait = due - now;
        if (wait <= 0) return 0;
        return wait < cap ? (int)wait : cap;
    }

    /// <summary>Fires every handler whose deadline has passed.</summary>
    public void Run(long now)
    {
        while (_heap.TryPeek(out Entry entry, out long due) && due <= now)
        {
            _heap.Dequeue();
            HandlerSlot slot = entry.Slot;
            if (slot.Generation != entry.Generation || slot.ScheduledAt != due || slot.Handler is null) continue;
            slot.ScheduledAt = Never;
            IConnectionHandler handler = slot.Handler;
            if (handler.NextDeadline <= now) handler.OnTimer(now);
            if (slot.Generation == entry.Generation && slot.Handler is not null) Schedule(slot);
        }
    }

    private readonly record struct Entry(HandlerSlot Slot, uint Generation, long Due);
}
