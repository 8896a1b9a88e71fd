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

    /// <summary>
    /// Takes an idle connection to <paramref name="server"/>, or null. Connections opened to an address
    /// the server no longer has (<c>set server … addr</c>) are closed on the way, not reused.
    /// </summary>
    public BackendConnection? Take(ServerState server)
    {
        if (!_idle.TryGetValue(server, out List<BackendConnection>? list)) return null;
        while (list.Count > 0)
        {
            BackendConnection connection = list[^1];
            list.RemoveAt(list.Count - 1);
            if (connection.MatchesServerAddress) return connection;
            connection.Close();
        }
        return null;
    }

    /// <summary>
    /// Parks a connection; false when it should be closed instead (the server has enough idle ones, its
    /// address changed, or it was deleted).
    /// </summary>
    public bool Put(BackendConnection connection)
    {
        if (!connection.MatchesServerAddress || connection.Server.IsDeleted) return false;
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

    /// <summary>
    /// Closes the idle connections of deleted servers (<c>del server</c>) and forgets those servers. An
    /// entry emptied by <see cref="Take"/> before its server was deleted is otherwise never visited again
    /// and would keep the deleted server's state alive for the life of the worker. Shard maintenance
    /// (about once a second): O(servers), allocates nothing.
    /// </summary>
    public void DropDeletedServers()
    {
        foreach ((ServerState server, List<BackendConnection> list) in _idle)
        {
            if (!server.IsDeleted) continue;
            for (int i = list.Count - 1; i >= 0; i--) list[i].Close();
            list.Clear();
            _idle.Remove(server); // allowed while enumerating a Dictionary
        }
    }

    public void Remove(BackendConnection connection)
    {
        if (!_idle.TryGetValue(connection.Server, out List<BackendConnection>? list)) return;
        list.Remove(connection);
        // A deleted server's entry goes with its last idle connection (it gets no new ones).
        if (list.Count == 0 && connection.Server.IsDeleted) _idle.Remove(connection.Server);
    }
}
