namespace Appliance.Forwarding.Http;

/// <summary>One shard's idle connections to one server and how many it needs (<see cref="ConnectionNeedEstimate"/>).</summary>
internal sealed class IdleServerConnections(long nextPurge)
{
    /// <summary>Oldest first; a request takes the last one (the most recently used, warmest socket).</summary>
    public List<BackendConnection> Connections { get; } = new();

    public ConnectionNeedEstimate Need { get; } = new(nextPurge);
}
