using Appliance.Balancing;

namespace Appliance.Forwarding.Http;

/// <summary>
/// A shard's idle kept-alive server connections, per server, most recently used first (warmest
/// socket, and the oldest ones age out). Owned by one shard thread.
/// </summary>
internal sealed class BackendConnectionPool
{
    /// <summary>Idle connections kept per server on one shard.</summary>
    private const int MaxIdlePerServer = 256;

    private readonly Dictionary<ServerState, List<BackendConnection>> _idle = new(ReferenceEqualityComparer.Instance);

    /// <summary>Takes an idle connection to <paramref name="server"/>, or null.</summary>
    public BackendConnection? Take(ServerState server)
    {
        if (!_idle.TryGetValue(server, out List<BackendConnection>? list) || list.Count == 0) return null;
        BackendConnection connection = list[^1];
        list.RemoveAt(list.Count - 1);
        return connection;
    }

    /// <summary>Parks a connection; false when the server already has enough idle ones (caller closes it).</summary>
    public bool Put(BackendConnection connection)
    {
        if (!_idle.TryGetValue(connection.Server, out List<BackendConnection>? list))
        {
            list = new List<BackendConnection>();
            _idle.Add(connection.Server, list);
        }
        if (list.Count >= MaxIdlePerServer) return false;
        list.Add(connection);
        connection.Park();
        return true;
    }

    public void Remove(BackendConnection connection)
    {
        if (_idle.TryGetValue(connection.Server, out List<BackendConnection>? list)) list.Remove(connection);
    }
}
