using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>
/// <c>balance first</c>: the first candidate in declaration order, i.e. the first usable server below
/// its <c>maxconn</c>. Weights only matter as 0 (out of rotation). A server without <c>maxconn</c> is
/// never full, so it takes everything and the ones after it get traffic only when it is unusable — as
/// in HAProxy, where this algorithm is meant for servers with <c>maxconn</c> set.
/// </summary>
internal sealed class FirstBalancer : Balancer
{
    public FirstBalancer(BackendState backend, int shard)
        : base(backend, shard)
    {
    }

    public override BalanceAlgorithm Algorithm => BalanceAlgorithm.First;

    public override ServerState? Pick(uint clientAddressHash, ServerState? exclude)
    {
        ReadOnlySpan<ServerState> pool = CurrentPool();
        foreach (var server in pool)
        {
            if (IsCandidate(server, exclude)) return server;
        }
        return ExcludedAsLastResort(pool, exclude);
    }
}
