using Appliance.Balancing;
using Appliance.Config.Model;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

public class FirstBalancerTests
{
    [Fact]
    public void A_server_without_maxconn_takes_everything()
    {
        var backend = Backend(BalanceAlgorithm.First, Server("a"), Server("b"));
        var balancer = Balancer.Create(backend, 0);
        for (int i = 0; i < 100; i++) balancer.Pick(0, null)!.ConnectionOpened(0);
        Assert.Equal(100, backend.Servers[0].ActiveConnections);
        Assert.Equal(0, backend.Servers[1].ActiveConnections);
    }

    [Fact]
    public void Fills_servers_in_declaration_order_up_to_maxconn()
    {
        var backend = Backend(BalanceAlgorithm.First, Server("a", maxConn: 2, weight: 1), Server("b", maxConn: 3, weight: 100), Server("c"));
        var (a, b, c) = (backend.Servers[0], backend.Servers[1], backend.Servers[2]);
        var shard0 = Balancer.Create(backend, 0);
        var shard1 = Balancer.Create(backend, 1);

        var picks = new List<string>();
        for (int i = 0; i < 7; i++)
        {
            int shard = i % 2;
            var server = (shard == 0 ? shard0 : shard1).Pick(0, null)!;
            server.ConnectionOpened(shard);
            picks.Add(server.Name);
        }
        Assert.Equal(["a", "a", "b", "b", "b", "c", "c"], picks);

        a.ConnectionClosed(1); // a slot frees up on a: it is first again
        Assert.Same(a, shard0.Pick(0, null));
        Assert.Equal(3, b.ActiveConnections);
        Assert.Equal(2, c.ActiveConnections);
    }
}
