using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// <c>balance roundrobin</c>: smooth weighted round-robin with the servers' runtime weights, one
/// rotation per shard. Each pick re-reads every server's state and weight, so servers going down or up
/// and weight changes take effect on the very next pick with no rebuild. Cost is O(servers) per pick;
/// HAProxy's tree-based version is O(log n), which only matters for backends with hundreds of servers.
/// With several shards each rotates independently: the weights hold per shard, hence overall.
/// </summary>
internal sealed class RoundRobinBalancer : Balancer
{
    // Scores parallel to ActiveServers / BackupServers. Padded: written by this shard on every pick.
    private readonly PaddedLongArray _activeScores;
    private readonly PaddedLongArray _backupScores;

    public RoundRobinBalancer(BackendState backend, int shard)
        : base(backend, shard)
    {
        _activeScores = new PaddedLongArray(backend.ActiveSpan.Length);
        _backupScores = new PaddedLongArray(backend.BackupSpan.Length);
        // Shards start their rotations one step apart. Connections arrive on the shards in no
        // particular order, so if every shard began with the first server, the first requests of a
        // quiet service would all land there; offset, they spread from the start.
        for (int i = 0; i < shard; i++) Pick(0, null);
    }

    public override BalanceAlgorithm Algorithm => BalanceAlgorithm.RoundRobin;

    public override ServerState? Pick(uint clientAddressHash, ServerState? exclude)
    {
        ReadOnlySpan<ServerState> pool = CurrentPool(out bool isBackupPool, out int backupPosition);
        Span<long> scores = isBackupPool ? _backupScores.AsSpan(backupPosition, 1) : _activeScores.AsSpan();
        int chosen = SmoothWeightedRotation.Step(pool, scores, exclude, RotationWeight.Candidate);
        return chosen >= 0 ? pool[chosen] : ExcludedAsLastResort(pool, exclude);
    }
}
