namespace Appliance.Engine;

/// <summary>A session waiting in a backend queue for a server slot. Called on its shard's thread.</summary>
internal interface IQueueWaiter
{
    /// <summary>Tries to take a server now; true when it left the queue (served, or gave up).</summary>
    bool TryLeaveQueue();
}
