using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// <c>balance static-rr</c>: weighted round-robin over a table precomputed from the configured weights
/// (<see cref="WeightedServerMap"/>), walked by a per-shard cursor. As in HAProxy, weights are static: a
/// runtime weight change is ignored except that weight 0 takes the server out; in exchange a pick is
/// O(1) whatever the number of servers. Servers going down or up rebuild the table.
/// </summary>
internal sealed class StaticRoundRobinBalancer : Balancer
{
    private const int CursorSlot = 0;

    private readonly WeightedServerMap _map;
    private readonly PaddedLongArray _cursor = new(1);

    public StaticRoundRobinBalancer(BackendState backend, int shard)
        : base(backend, shard) =>
        _map = new WeightedServerMap(backend, RotationWeight.UsableConfigured);

    public override BalanceAlgorithm Algorithm => BalanceAlgorithm.StaticRoundRobin;

    public override ServerState? Pick(uint clientAddressHash, ServerState? exclude)
    {
        long generation = Backend.StateGeneration; // before the pool: see WeightedServerMap.Refresh
        ReadOnlySpan<ServerState> pool = CurrentPool();
        _map.Refresh(pool, generation);
        if (_map.Length == 0) return null;

        ref long cursor = ref _cursor[CursorSlot];
        var server = _map.FindFrom((int)(cursor % _map.Length), exclude, out int position);
        if (server is null) return ExcludedAsLastResort(pool, exclude);
        cursor = position + 1;
        return server;
    }
}
