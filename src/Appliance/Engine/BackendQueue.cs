namespace Appliance.Engine;

/// <summary>
/// A shard's waiting line for one backend whose servers are all at their <c>maxconn</c>, as HAProxy's
/// backend queue: first come, first served. A slot freed on this shard serves the head of the line
/// at the end of the current event batch; slots freed by other shards are noticed by polling (the
/// shard wakes every <see cref="Shard.QueuePollMs"/> while anyone waits), so shards never signal
/// each other. Owned by one shard thread.
/// </summary>
internal sealed class BackendQueue
{
    private readonly Queue<Entry> _waiting = new();

    public int Count => _waiting.Count;

    public void Enqueue(IQueueWaiter waiter, HandlerSlot slot) => _waiting.Enqueue(new Entry(waiter, slot, slot.Generation));

    /// <summary>Serves waiters in order until one cannot get a server yet.</summary>
    public void Serve()
    {
        while (_waiting.TryPeek(out Entry entry))
        {
            // A waiter whose connection ended (slot reused) is just dropped.
            if (entry.Slot.Generation != entry.Generation || entry.Slot.Handler is null)
            {
                _waiting.Dequeue();
                continue;
            }
            if (!entry.Waiter.TryLeaveQueue()) return;
            _waiting.Dequeue();
        }
    }

    private readonly record struct Entry(IQueueWaiter Waiter, HandlerSlot Slot, uint Generation);
}
