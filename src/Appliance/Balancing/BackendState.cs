using System.Collections.Immutable;
using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// Runtime state of one backend: its config and one <see cref="ServerState"/> per <c>server</c> line,
/// shared by all shards. The server set is fixed for the life of a worker generation; what changes is
/// each server's state.
/// </summary>
public sealed class BackendState
{
    private readonly ServerState[] _active;
    private readonly ServerState[] _backup;
    private long _stateGeneration;

    public BackendState(BackendConfig config, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Config = config;
        ShardCount = shardCount;

        var all = ImmutableArray.CreateBuilder<ServerState>(config.Servers.Count);
        var active = new List<ServerState>();
        var backup = new List<ServerState>();
        for (int i = 0; i < config.Servers.Count; i++)
        {
            var server = new ServerState(this, config.Servers[i], i, shardCount);
            all.Add(server);
            (server.IsBackup ? backup : active).Add(server);
        }
        Servers = all.MoveToImmutable();
        _active = active.ToArray();
        _backup = backup.ToArray();
        ActiveServers = ImmutableArray.Create(_active);
        BackupServers = ImmutableArray.Create(_backup);
    }

    public BackendConfig Config { get; }

    public string Name => Config.Name;

    public BalanceAlgorithm Algorithm => Config.Balance;

    public int ShardCount { get; }

    /// <summary>All servers in declaration order; <see cref="ServerState.Index"/> is the position here.</summary>
    public ImmutableArray<ServerState> Servers { get; }

    /// <summary>Non-backup servers in declaration order.</summary>
    public ImmutableArray<ServerState> ActiveServers { get; }

    /// <summary>Backup servers in declaration order.</summary>
    public ImmutableArray<ServerState> BackupServers { get; }

    internal ReadOnlySpan<ServerState> ActiveSpan => _active;

    internal ReadOnlySpan<ServerState> BackupSpan => _backup;

    /// <summary>
    /// Bumped whenever any server's operational state, admin state or weight changes, i.e. whenever the
    /// set of usable servers or their weights may differ. Pickers that precompute a table compare it with
    /// the value they built from (one volatile read per pick) instead of re-scanning servers.
    /// </summary>
    public long StateGeneration => Volatile.Read(ref _stateGeneration);

    internal void OnServerStateChanged() => Interlocked.Increment(ref _stateGeneration);

    public ServerState? FindServer(string name)
    {
        foreach (var server in Servers)
        {
            if (server.Name == name) return server;
        }
        return null;
    }

    /// <summary>Usable (UP, ready, weight &gt; 0) active and backup servers, as HAProxy counts them in its logs.</summary>
    public (int Active, int Backup) CountUsable()
    {
        int active = 0, backup = 0;
        foreach (var server in _active)
        {
            if (server.IsUsable) active++;
        }
        foreach (var server in _backup)
        {
            if (server.IsUsable) backup++;
        }
        return (active, backup);
    }

    public override string ToString() => Name;
}
