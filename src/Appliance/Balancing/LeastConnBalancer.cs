using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// <c>balance leastconn</c>: the candidate with the lowest (active connections + 1) / weight, counting
/// connections of all shards (<see cref="ServerState.ActiveConnections"/> sums the per-shard slots with
/// volatile reads; nothing shared is written). The "+ 1" is HAProxy's: it ranks servers by the load they
/// would have after taking this connection, so on an idle backend a weight-2 server is still preferred
/// to a weight-1 one. Ratios are compared by cross-multiplication, without division.
/// <para>Ties are broken round-robin per shard: the scan starts just after the last server this shard
/// chose, so equally loaded servers alternate instead of the first one taking every tie.</para>
/// </summary>
internal sealed class LeastConnBalancer : Balancer
{
    private const int LastChosenSlot = 0;

    private readonly PaddedLongArray _lastChosen = new(1);

    public LeastConnBalancer(BackendState backend, int shard)
        : base(backend, shard) =>
        _lastChosen[LastChosenSlot] = -1;

    public override BalanceAlgorithm Algorithm => BalanceAlgorithm.LeastConn;

    public override ServerState? Pick(uint clientAddressHash, ServerState? exclude)
    {
        ReadOnlySpan<ServerState> pool = CurrentPool();
        int count = pool.Length;
        if (count == 0) return null;

        ref long lastChosen = ref _lastChosen[LastChosenSlot];
        int index = (int)((lastChosen + 1) % count);
        ServerState? best = null;
        int bestIndex = -1;
        long bestLoad = 0, bestWeight = 1;
        for (int step = 0; step < count; step++, index = index + 1 == count ? 0 : index + 1)
        {
            var server = pool[index];
            if (!IsCandidate(server, exclude)) continue;
            long load = server.ActiveConnections + 1;
            long weight = server.Weight;
            // load / weight < bestLoad / bestWeight, both weights > 0
            if (best is null || load * bestWeight < bestLoad * weight)
            {
                best = server;
                bestIndex = index;
                bestLoad = load;
                bestWeight = weight;
            }
        }

        if (best is null) return ExcludedAsLastResort(pool, exclude);
        lastChosen = bestIndex;
        return best;
    }
}
