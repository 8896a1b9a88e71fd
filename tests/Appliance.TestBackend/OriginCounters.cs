namespace Appliance.TestBackend;

/// <summary>
/// Process-wide counters of the <c>http</c> mode, answered on <c>/stats</c>: how many TCP connections were
/// accepted (every one, health-check probes and the <c>/stats</c> connection itself included) and how many
/// requests were received completely. Written by every connection task, hence Interlocked.
/// </summary>
internal sealed class OriginCounters
{
    private long _connections;
    private long _requests;

    public long Connections => Interlocked.Read(ref _connections);

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Counts an accepted connection and returns its 1-based number, the id used in the record.</summary>
    public long Accepted() => Interlocked.Increment(ref _connections);

    public void RequestCompleted() => Interlocked.Increment(ref _requests);
}
