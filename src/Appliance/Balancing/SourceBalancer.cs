using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// <c>balance source</c> with HAProxy's default <c>hash-type map-based</c>: the client address hash
/// modulo the total weight indexes a table where each usable server appears weight times
/// (<see cref="WeightedServerMap"/>, runtime weights). The table depends only on server states, so every
/// shard maps a client to the same server for as long as the set of usable servers and their weights
/// do not change; when they change, most clients move (that is the map-based trade-off; consistent
/// hashing is not implemented).
/// <para>If the hashed server is full or excluded, the next entry of the table that can take the
/// connection is used — HAProxy falls back to round-robin over the same table in that case.</para>
/// </summary>
internal sealed class SourceBalancer : Balancer
{
    private readonly WeightedServerMap _map;

    public SourceBalancer(BackendState backend, int shard)
        : base(backend, shard) =>
        _map = new WeightedServerMap(backend, RotationWeight.Usable);

    public override BalanceAlgorithm Algorithm => BalanceAlgorithm.Source;

    public override ServerState? Pick(uint clientAddressHash, ServerState? exclude)
    {
        long generation = Backend.StateGeneration; // before the pool: see WeightedServerMap.Refresh
        ReadOnlySpan<ServerState> pool = CurrentPool();
        _map.Refresh(pool, generation);
        if (_map.Length == 0) return null;
        return _map.FindFrom((int)(clientAddressHash % (uint)_map.Length), exclude, out _)
            ?? ExcludedAsLastResort(pool, exclude);
    }
}
