using Appliance.Balancing;
using Appliance.Config.Model;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

public class LeastConnBalancerTests
{
    [Fact]
    public void Equally_loaded_servers_alternate()
    {
        var backend = Backend(BalanceAlgorithm.LeastConn, Server("a"), Server("b"), Server("c"));
        var balancer = Balancer.Create(backend, 0);
        string sequence = string.Concat(Enumerable.Range(0, 6).Select(_ => balancer.Pick(0, null)!.Name));
        Assert.Equal("abcabc", sequence);
    }

    [Fact]
    public void Counts_connections_held_on_another_shard()
    {
        var backend = Backend(BalanceAlgorithm.LeastConn, shardCount: 2, Server("a"), Server("b"));
        var (a, b) = (backend.Servers[0], backend.Servers[1]);
        var shard0 = Balancer.Create(backend, 0);
        a.ConnectionOpened(1);
        a.ConnectionOpened(1);

        // Shard 0 sees shard 1's connections on a: b gets shard 0's next two connections.
        var first = shard0.Pick(0, null)!;
        first.ConnectionOpened(0);
        var second = shard0.Pick(0, null)!;
        second.ConnectionOpened(0);
        Assert.Same(b, first);
        Assert.Same(b, second);

        // 2 and 2 now: a tie, broken by rotation.
        var third = shard0.Pick(0, null)!;
        Assert.Same(a, third);
    }

    [Fact]
    public void Balances_open_connections_by_weight()
    {
        var backend = Backend(BalanceAlgorithm.LeastConn, Server("a", weight: 3), Server("b", weight: 1));
        var balancer = Balancer.Create(backend, 0);
        for (int i = 0; i < 400; i++) balancer.Pick(0, null)!.ConnectionOpened(0);

        Assert.Equal(300, backend.Servers[0].ActiveConnections);
        Assert.Equal(100, backend.Servers[1].ActiveConnections);
    }

    [Fact]
    public void Idle_backend_prefers_the_heavier_server()
    {
        var backend = Backend(BalanceAlgorithm.LeastConn, Server("light", weight: 1), Server("heavy", weight: 2));
        Assert.Equal("heavy", Balancer.Create(backend, 0).Pick(0, null)!.Name);
    }

    [Fact]
    public void Closing_connections_brings_a_server_back()
    {
        var backend = Backend(BalanceAlgorithm.LeastConn, Server("a"), Server("b"));
        var (a, b) = (backend.Servers[0], backend.Servers[1]);
        var balancer = Balancer.Create(backend, 1);
        for (int i = 0; i < 5; i++) a.ConnectionOpened(0);
        for (int i = 0; i < 3; i++) b.ConnectionOpened(1);
        Assert.Same(b, balancer.Pick(0, null));

        for (int i = 0; i < 4; i++) a.ConnectionClosed(0);
        Assert.Same(a, balancer.Pick(0, null));
    }
}
