using Appliance.Balancing;
using Appliance.Config.Model;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

public class RandomBalancerTests
{
    [Fact]
    public void Two_choices_prefer_the_less_loaded_server()
    {
        var backend = Backend(BalanceAlgorithm.Random, Server("busy"), Server("idle"));
        for (int i = 0; i < 50; i++) backend.Servers[0].ConnectionOpened(1);
        var counts = Count(Balancer.Create(backend, 0, randomSeed: 42), 4000);

        // busy wins only when both draws hit it: 1/4 of the time.
        Assert.InRange(counts["busy"], 800, 1200);
        Assert.InRange(counts["idle"], 2800, 3200);
    }

    [Fact]
    public void Draws_follow_weights_when_load_is_equal()
    {
        var backend = Backend(BalanceAlgorithm.Random, Server("a", weight: 3), Server("b", weight: 1));
        var counts = Count(Balancer.Create(backend, 0, randomSeed: 5), 8000);

        // With equal (zero) load the second draw wins, so picks follow the weights: 3:1.
        Assert.InRange(counts["a"], 5700, 6300);
    }

    [Fact]
    public void Keeps_load_even_as_connections_accumulate()
    {
        var backend = Backend(BalanceAlgorithm.Random, Server("a"), Server("b"), Server("c"), Server("d"));
        var balancer = Balancer.Create(backend, 0, randomSeed: 9);
        for (int i = 0; i < 4000; i++) balancer.Pick(0, null)!.ConnectionOpened(0);

        foreach (var server in backend.Servers) Assert.InRange(server.ActiveConnections, 900, 1100);
    }

    [Fact]
    public void Same_seed_same_sequence_different_shards_differ()
    {
        var backend = Backend(BalanceAlgorithm.Random, Server("a"), Server("b"), Server("c"));
        string Sequence(int shard, ulong seed)
        {
            var balancer = Balancer.Create(backend, shard, seed);
            return string.Concat(Enumerable.Range(0, 64).Select(_ => balancer.Pick(0, null)!.Name));
        }

        Assert.Equal(Sequence(0, 1), Sequence(0, 1));
        Assert.NotEqual(Sequence(0, 1), Sequence(1, 1));
        Assert.NotEqual(Sequence(0, 1), Sequence(0, 2));
    }
}
