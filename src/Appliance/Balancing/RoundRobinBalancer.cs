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
    // Scores parallel to the active / backup servers of _scoredSet. Padded: written by this shard on every pick.
    private PaddedLongArray _activeScores;
    private PaddedLongArray _backupScores;
    private ServerSet _scoredSet;

    public RoundRobinBalancer(BackendState backend, int shard)
        : base(backend, shard)
    {
        _scoredSet = backend.Current;
        _activeScores = new PaddedLongArray(_scoredSet.ActiveArray.Length);
        _backupScores = new PaddedLongArray(_scoredSet.BackupArray.Length);
        // Shards start their rotations one step apart. Connections arrive on the shards in no
        // particular order, so if every shard began with the first server, the first requests of a
        // quiet service would all land there; offset, they spread from the start.
        for (int i = 0; i < shard; i++) Pick(0, null);
    }

    public override BalanceAlgorithm Algorithm => BalanceAlgorithm.RoundRobin;

    public override ServerState? Pick(uint clientAddressHash, ServerState? exclude)
    {
        ServerSet set = Backend.Current;
        if (!ReferenceEquals(set, _scoredSet)) Rescore(set);
        ReadOnlySpan<ServerState> pool = CurrentPool(set, out bool isBackupPool, out int backupPosition);
        Span<long> scores = isBackupPool ? _backupScores.AsSpan(backupPosition, 1) : _activeScores.AsSpan();
        int chosen = SmoothWeightedRotation.Step(pool, scores, exclude, RotationWeight.Candidate);
        return chosen >= 0 ? pool[chosen] : ExcludedAsLastResort(pool, exclude);
    }

    /// <summary>
    /// The server list changed (<c>add/del server</c>): new score arrays for the new version, each server
    /// that stays keeping its score so the rotation goes on where it was; a new server starts at 0.
    /// Allocates, once per list change, never per pick.
    /// </summary>
    private void Rescore(ServerSet set)
    {
        _activeScores = Carry(_scoredSet.ActiveArray, _activeScores, set.ActiveArray);
        _backupScores = Carry(_scoredSet.BackupArray, _backupScores, set.BackupArray);
        _scoredSet = set;
    }

    private static PaddedLongArray Carry(ServerState[] oldServers, PaddedLongArray oldScores, ServerState[] newServers)
    {
        var scores = new PaddedLongArray(newServers.Length);
        for (int i = 0; i < newServers.Length; i++)
        {
            int old = Array.IndexOf(oldServers, newServers[i]);
            if (old >= 0) scores[i] = oldScores[old];
        }
        return scores;
    }
}
