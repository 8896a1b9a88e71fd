using Appliance.Balancing;
using Appliance.Engine;

namespace Appliance.Forwarding.Http;

/// <summary>
/// A shard's idle kept-alive server connections, per server, sized as HAProxy sizes its idle pools
/// (<see cref="ConnectionNeedEstimate"/>, <c>pool-max-conn</c>, <c>pool-low-conn</c>,
/// <c>pool-purge-delay</c>). Owned by one shard thread.
/// </summary>
internal sealed class BackendConnectionPool(int shard)
{
    private readonly Dictionary<ServerState, IdleServerConnections> _idle = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Takes the most recently used idle connection to <paramref name="server"/> — with
    /// <paramref name="provenOnly"/>, one that has carried two requests or more — or null. Connections
    /// opened to an address the server no longer has (<c>set server … addr</c>) are closed on the way.
    /// </summary>
    public BackendConnection? Take(ServerState server, bool provenOnly)
    {
        if (!_idle.TryGetValue(server, out IdleServerConnections? idle)) return null;
        if (provenOnly && idle.Proven == 0) return null;
        BackendConnection? taken = null;
        for (int i = idle.Count - 1; i >= 0 && taken is null; i--)
        {
            BackendConnection connection = idle.Connections[i];
            bool stale = !connection.MatchesServerAddress;
            if (!stale && provenOnly && !IdleServerConnections.IsProven(connection)) continue;
            idle.RemoveAt(i);
            server.UncountIdleConnection();
            if (stale) connection.Close();
            else taken = connection;
        }
        idle.Publish(server, shard);
        return taken;
    }

    /// <summary>
    /// Parks a connection the session has released (its server no longer counts it as open); false when
    /// it should be closed instead: the shard has as many as it needs, the server has
    /// <c>pool-max-conn</c> idle ones, its address changed, or it was deleted.
    /// </summary>
    public bool Put(BackendConnection connection, long now)
    {
        ServerState server = connection.Server;
        if (!connection.MatchesServerAddress || server.IsDeleted) return false;
        if (!_idle.TryGetValue(server, out IdleServerConnections? idle))
        {
            idle = new IdleServerConnections(NextPurge(server, now));
            _idle.Add(server, idle);
        }
        int inUse = (int)server.ActiveConnectionsOn(shard) + 1;
        bool keep = idle.Need.ShouldKeep(inUse, idle.Count, server.Config.PoolLowConn) && server.TryCountIdleConnection();
        if (keep)
        {
            idle.Add(connection);
            connection.Park();
        }
        idle.Publish(server, shard);
        return keep;
    }

    /// <summary>
    /// Ends the purge periods that are over: closes half of each server's idle connections beyond the
    /// shard's need, oldest first. Shard maintenance (about once a second, so a purge delay under a second
    /// acts as one second): O(servers), allocates nothing.
    /// </summary>
    public void Purge(long now)
    {
        foreach ((ServerState server, IdleServerConnections idle) in _idle)
        {
            if (now < idle.Need.NextPurge) continue;
            CloseOldest(server, idle, idle.Need.EndPurgePeriod((int)server.ActiveConnectionsOn(shard), idle.Count, NextPurge(server, now)));
        }
    }

    /// <summary>
    /// Closes the idle connections of deleted servers (<c>del server</c>) and forgets those servers. An
    /// entry emptied by <see cref="Take"/> before its server was deleted is otherwise never visited again
    /// and would keep the deleted server's state alive for the life of the worker. Shard maintenance
    /// (about once a second): O(servers), allocates nothing.
    /// </summary>
    public void DropDeletedServers()
    {
        foreach ((ServerState server, IdleServerConnections idle) in _idle)
        {
            if (!server.IsDeleted) continue;
            CloseOldest(server, idle, idle.Count);
            _idle.Remove(server); // allowed while enumerating a Dictionary
        }
    }

    /// <summary>Forgets an idle connection the server closed (the caller closes it).</summary>
    public void Remove(BackendConnection connection)
    {
        ServerState server = connection.Server;
        if (!_idle.TryGetValue(server, out IdleServerConnections? idle)) return;
        if (idle.Remove(connection))
        {
            server.UncountIdleConnection();
            idle.Publish(server, shard);
        }
        // A deleted server's entry goes with its last idle connection (it gets no new ones).
        if (idle.Count == 0 && server.IsDeleted) _idle.Remove(server);
    }

    private void CloseOldest(ServerState server, IdleServerConnections idle, int count)
    {
        for (int i = 0; i < count; i++)
        {
            idle.Connections[i].Close();
            server.UncountIdleConnection();
        }
        idle.RemoveOldest(count);
        idle.Publish(server, shard);
    }

    private static long NextPurge(ServerState server, long now)
    {
        long delay = (long)server.Config.EffectivePoolPurgeDelay.TotalMilliseconds;
        return delay > 0 ? now + delay : TimerQueue.Never;
    }
}
