using Appliance.Balancing;

namespace Appliance.Forwarding.Http;

/// <summary>
/// One shard's idle connections to one server, how many it needs (<see cref="ConnectionNeedEstimate"/>),
/// and how many of them have carried two requests or more (for <c>http-reuse aggressive</c> and
/// <c>show servers conn</c>). Every change goes through here so the figures the server publishes stay right.
/// </summary>
internal sealed class IdleServerConnections(long nextPurge)
{
    private readonly List<BackendConnection> _connections = new();

    /// <summary>Oldest first; a request takes the last one (the most recently used, warmest socket).</summary>
    public IReadOnlyList<BackendConnection> Connections => _connections;

    public int Count => _connections.Count;

    /// <summary>Idle connections that have carried two requests or more.</summary>
    public int Proven { get; private set; }

    public ConnectionNeedEstimate Need { get; } = new(nextPurge);

    public void Add(BackendConnection connection)
    {
        _connections.Add(connection);
        if (IsProven(connection)) Proven++;
    }

    public BackendConnection RemoveAt(int index)
    {
        BackendConnection connection = _connections[index];
        _connections.RemoveAt(index);
        if (IsProven(connection)) Proven--;
        return connection;
    }

    public bool Remove(BackendConnection connection)
    {
        int index = _connections.IndexOf(connection);
        if (index < 0) return false;
        RemoveAt(index);
        return true;
    }

    /// <summary>Removes the <paramref name="count"/> oldest connections (the caller closes them first).</summary>
    public void RemoveOldest(int count)
    {
        for (int i = 0; i < count; i++)
        {
            if (IsProven(_connections[i])) Proven--;
        }
        _connections.RemoveRange(0, count);
    }

    /// <summary>Shows this shard's figures on <paramref name="server"/> (<c>show servers conn</c>).</summary>
    public void Publish(ServerState server, int shard) => server.PublishIdle(shard, _connections.Count, Proven, Need.PeakInUse, Need.EstimatedNeed);

    public static bool IsProven(BackendConnection connection) => connection.RequestsServed >= 2;
}
