using System.Collections.Immutable;
using System.Net;
using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// Runtime state of one backend: its config and its servers, shared by all shards. Servers come from
/// the <c>server</c> lines and, at runtime, from <c>add server</c> (removed again by <c>del server</c>).
/// <para>
/// Publication scheme (why shards need no lock): the server list is an immutable <see cref="ServerSet"/>
/// that is replaced as a whole. Writers (the runtime API, and the reload hand-over before any shard runs)
/// serialise on <see cref="_writeGate"/>, build a new array and publish it with one
/// <see cref="Volatile.Write{T}(ref T, T)"/>; shards read the current set once per pick with
/// <see cref="Volatile.Read{T}(ref T)"/> and walk that version to the end, so a pick sees either the old
/// or the new list, never a torn one, and allocates nothing. Each <see cref="ServerState"/> keeps its own
/// per-shard counter slots, so a server's counters stay valid whichever set version a shard holds; a
/// deleted server's object simply stays alive (garbage collection) while some shard still references it.
/// Every change bumps <see cref="StateGeneration"/>, which pickers that precompute tables already watch.
/// </para>
/// </summary>
public sealed class BackendState
{
    private readonly Lock _writeGate = new();
    private ServerSet _set;
    private int _nextId;
    private long _stateGeneration;
    private int _queued;
    private int _queuePeak;

    public BackendState(BackendConfig config, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Config = config;
        ShardCount = shardCount;

        var all = new ServerState[config.Servers.Count];
        for (int i = 0; i < all.Length; i++) all[i] = new ServerState(this, config.Servers[i], i, shardCount, dynamic: false);
        _nextId = all.Length;
        _set = new ServerSet(all);
    }

    public BackendConfig Config { get; }

    public string Name => Config.Name;

    public BalanceAlgorithm Algorithm => Config.Balance;

    public int ShardCount { get; }

    /// <summary>The current server list (one volatile read; hold on to it to see one consistent version).</summary>
    /// <summary>Sessions waiting for a server now, over all shards (changed only when a queue grows or shrinks).</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>The most sessions that waited at once, over all shards, since this generation started (HAProxy's <c>qmax</c>).</summary>
    public int QueuePeak => Volatile.Read(ref _queuePeak);

    /// <summary>A shard's queue grew or shrank by <paramref name="delta"/> (any thread: queues are rare, so one atomic add is cheap).</summary>
    public void AddQueued(int delta)
    {
        int now = Interlocked.Add(ref _queued, delta);
        int peak;
        while (now > (peak = Volatile.Read(ref _queuePeak)) && Interlocked.CompareExchange(ref _queuePeak, now, peak) != peak)
        {
        }
    }

    public ServerSet Current => Volatile.Read(ref _set);

    /// <summary>Connections open to the current servers, over all shards (volatile reads; the logs' backend count).</summary>
    public long ActiveConnections
    {
        get
        {
            long total = 0;
            foreach (ServerState server in Current.AllArray) total += server.ActiveConnections;
            return total;
        }
    }

    /// <summary>All current servers: configured ones in declaration order, then dynamic ones.</summary>
    public ImmutableArray<ServerState> Servers => Current.All;

    /// <summary>Current non-backup servers, in order.</summary>
    public ImmutableArray<ServerState> ActiveServers => Current.Active;

    /// <summary>Current backup servers, in order.</summary>
    public ImmutableArray<ServerState> BackupServers => Current.Backup;

    /// <summary>
    /// Bumped whenever any server's operational state, admin state, weight or address changes, or a
    /// server is added or removed, i.e. whenever the set of usable servers or their weights may differ.
    /// Pickers that precompute a table compare it with the value they built from (one volatile read per
    /// pick) instead of re-scanning servers.
    /// </summary>
    public long StateGeneration => Volatile.Read(ref _stateGeneration);

    internal void OnServerStateChanged() => Interlocked.Increment(ref _stateGeneration);

    /// <summary>
    /// Raised (on the writer's thread, outside the write lock) after a server was added or removed; the
    /// health prober uses it to start or stop checking it.
    /// </summary>
    public event Action<BackendState>? ServersChanged;

    /// <summary>
    /// HAProxy accepts dynamic servers only with algorithms whose server tree can change at runtime:
    /// not with <c>static-rr</c> nor with map-based hashing (<c>source</c> here), whose fixed tables are
    /// what their users rely on. Returns why not, or null.
    /// </summary>
    public string? DynamicServersRefusal() => Algorithm switch
    {
        BalanceAlgorithm.StaticRoundRobin => "Backend must use a dynamic load balancing to support dynamic servers (balance static-rr is static).",
        BalanceAlgorithm.Source => "Backend must use a dynamic load balancing to support dynamic servers (balance source is map-based, hence static).",
        _ => null,
    };

    /// <summary>
    /// Adds a server at runtime (<c>add server</c>, or a dynamic server carried over a reload). Fails when
    /// the name is taken. Any thread but a shard's; serialised with other writers.
    /// </summary>
    public ServerState? TryAdd(ServerConfig config, out string? error)
    {
        ArgumentNullException.ThrowIfNull(config);
        ServerState added;
        lock (_writeGate)
        {
            ServerSet current = _set;
            foreach (ServerState server in current.AllArray)
            {
                if (server.Name == config.Name)
                {
                    error = "Already exists a server with the same name in backend.";
                    return null;
                }
            }
            added = new ServerState(this, config, _nextId++, ShardCount, dynamic: true);
            var all = new ServerState[current.AllArray.Length + 1];
            current.AllArray.CopyTo(all, 0);
            all[^1] = added;
            Volatile.Write(ref _set, new ServerSet(all, current.RetiredStatistics, current.RetiredConnections));
            OnServerStateChanged();
        }
        ServersChanged?.Invoke(this);
        error = null;
        return added;
    }

    /// <summary>
    /// Takes <paramref name="server"/> out of the list (<c>del server</c>; the caller checked that it is in
    /// maintenance and idle). Shards that still hold the previous version may use it until their current
    /// pick ends; <see cref="ServerState.IsDeleted"/> tells them not to start anything new on it.
    /// </summary>
    public bool Remove(ServerState server)
    {
        ArgumentNullException.ThrowIfNull(server);
        lock (_writeGate)
        {
            ServerSet current = _set;
            int index = Array.IndexOf(current.AllArray, server);
            if (index < 0) return false;
            var all = new ServerState[current.AllArray.Length - 1];
            Array.Copy(current.AllArray, 0, all, 0, index);
            Array.Copy(current.AllArray, index + 1, all, index, all.Length - index);
            server.MarkDeleted();
            // Its counters move to the backend's retired totals (see ServerSet.RetiredStatistics). It has
            // no connection left (del server checked), so nothing is still adding to them.
            var retired = (long[])current.RetiredStatistics.Clone();
            for (int slot = 0; slot < retired.Length; slot++) retired[slot] += server.Statistic(slot);
            Volatile.Write(ref _set, new ServerSet(all, retired, current.RetiredConnections + server.TotalConnections));
            OnServerStateChanged();
        }
        ServersChanged?.Invoke(this);
        return true;
    }

    public ServerState? FindServer(string name)
    {
        foreach (var server in Current.AllArray)
        {
            if (server.Name == name) return server;
        }
        return null;
    }

    /// <summary>Usable (UP, ready, weight &gt; 0) active and backup servers, as HAProxy counts them in its logs.</summary>
    public (int Active, int Backup) CountUsable()
    {
        ServerSet set = Current;
        int active = 0, backup = 0;
        foreach (var server in set.ActiveArray)
        {
            if (server.IsUsable) active++;
        }
        foreach (var server in set.BackupArray)
        {
            if (server.IsUsable) backup++;
        }
        return (active, backup);
    }

    public override string ToString() => Name;
}
