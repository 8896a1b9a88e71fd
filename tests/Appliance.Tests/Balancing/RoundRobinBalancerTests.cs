using Appliance.Balancing;
using Appliance.Config.Model;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

public class RoundRobinBalancerTests
{
    [Theory]
    [InlineData(BalanceAlgorithm.RoundRobin)]
    [InlineData(BalanceAlgorithm.StaticRoundRobin)]
    public void Weights_3_to_1_hold_exactly_in_every_cycle_of_4(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a", weight: 3), Server("b", weight: 1));
        var balancer = Balancer.Create(backend, 0);

        for (int cycle = 0; cycle < 1000; cycle++)
        {
            int a = 0;
            for (int i = 0; i < 4; i++)
            {
                if (balancer.Pick(0, null)!.Name == "a") a++;
            }
            Assert.Equal(3, a);
        }
    }

    [Theory]
    [InlineData(BalanceAlgorithm.RoundRobin)]
    [InlineData(BalanceAlgorithm.StaticRoundRobin)]
    public void Heavy_servers_are_interleaved_not_bunched(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a", weight: 5), Server("b", weight: 1), Server("c", weight: 1));
        var balancer = Balancer.Create(backend, 0);
        string sequence = string.Concat(Enumerable.Range(0, 7).Select(_ => balancer.Pick(0, null)!.Name));

        Assert.Equal("aabacaa", sequence); // smooth WRR: b and c are spread into a's run
    }

    [Theory]
    [InlineData(BalanceAlgorithm.RoundRobin)]
    [InlineData(BalanceAlgorithm.StaticRoundRobin)]
    public void Equal_weights_alternate(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a"), Server("b"), Server("c"));
        var balancer = Balancer.Create(backend, 0);
        string sequence = string.Concat(Enumerable.Range(0, 9).Select(_ => balancer.Pick(0, null)!.Name));
        Assert.Equal("abcabcabc", sequence);
    }

    [Fact]
    public void Shards_rotate_independently_starting_one_step_apart()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a"), Server("b"));
        var shard0 = Balancer.Create(backend, 0);
        var shard1 = Balancer.Create(backend, 1);

        Assert.Equal("a", shard0.Pick(0, null)!.Name);
        Assert.Equal("b", shard1.Pick(0, null)!.Name);
        Assert.Equal("b", shard0.Pick(0, null)!.Name);
        Assert.Equal("a", shard1.Pick(0, null)!.Name);
    }

    [Fact]
    public void Follows_servers_going_down_and_up_at_once()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a", weight: 2), Server("b", weight: 1), Server("c", weight: 1));
        var balancer = Balancer.Create(backend, 0);
        var c = backend.Servers[2];
        Count(balancer, 7);

        // Picks resume mid-rotation, so a window may be off by one at its edges.
        c.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        var counts = Count(balancer, 3000);
        Assert.False(counts.ContainsKey("c"));
        Assert.Equal(2000, counts["a"], 2.0);
        Assert.Equal(1000, counts["b"], 2.0);

        c.SetOperationalState(OperationalState.Up, DateTimeOffset.UtcNow);
        counts = Count(balancer, 4000);
        Assert.Equal(2000, counts["a"], 2.0);
        Assert.Equal(1000, counts["b"], 2.0);
        Assert.Equal(1000, counts["c"], 2.0);
    }

    [Fact]
    public void Roundrobin_follows_runtime_weight_changes()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a"), Server("b"));
        var balancer = Balancer.Create(backend, 0);
        Assert.Equal(500, Count(balancer, 1000)["a"]);

        backend.Servers[0].SetWeight(4);
        var counts = Count(balancer, 5000);
        Assert.Equal(4000, counts["a"], 5.0);
        Assert.Equal(1000, counts["b"], 5.0);
    }

    [Fact]
    public void Static_rr_ignores_runtime_weights_except_zero()
    {
        var backend = Backend(BalanceAlgorithm.StaticRoundRobin, Server("a", weight: 3), Server("b", weight: 1));
        var balancer = Balancer.Create(backend, 0);

        backend.Servers[0].SetWeight(100);
        Assert.Equal(3000, Count(balancer, 4000)["a"]);

        backend.Servers[0].SetWeight(0);
        Assert.Equal(new Dictionary<string, int> { ["b"] = 400 }, Count(balancer, 400));
    }

    [Fact]
    public void Static_rr_rebuilds_when_servers_change()
    {
        var backend = Backend(BalanceAlgorithm.StaticRoundRobin, Server("a", weight: 2), Server("b", weight: 1), Server("c", weight: 1));
        var balancer = Balancer.Create(backend, 0);
        var c = backend.Servers[2];

        c.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        var counts = Count(balancer, 3000);
        Assert.Equal(2000, counts["a"]);
        Assert.Equal(1000, counts["b"]);

        c.SetOperationalState(OperationalState.Up, DateTimeOffset.UtcNow);
        counts = Count(balancer, 4000);
        Assert.Equal(2000, counts["a"]);
        Assert.Equal(1000, counts["c"]);
    }
}
