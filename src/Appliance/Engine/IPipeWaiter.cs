namespace Appliance.Engine;

/// <summary>A session direction waiting for a pipe. Called on the owning shard's thread.</summary>
internal interface IPipeWaiter
{
    /// <summary>Tries again to rent a pipe; false if the waiter no longer needs one (closed, or none free).</summary>
    bool ResumeWithPipe();
}
