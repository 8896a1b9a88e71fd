using Appliance.Tests.Support;
using Appliance.Balancing;
using Appliance.Config.Model;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

/// <summary>Rules every algorithm shares: who is a candidate, backups, exclude.</summary>
public class BalancerRulesTests
{
    private const int Picks = 400;

    public static IEnumerable<object[]> Algorithms => AllAlgorithms();

    private static uint Hash(int i) => (uint)i * 2654435761u; // spread for source

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Creates_the_configured_algorithm(BalanceAlgorithm algorithm)
    {
        var balancer = Balancer.Create(Backend(algorithm, Server("a")), shard: 1, randomSeed: 1);
        Assert.Equal(algorithm, balancer.Algorithm);
        Assert.Equal(1, balancer.Shard);
        Assert.Throws<ArgumentOutOfRangeException>(() => Balancer.Create(Backend(algorithm, Server("a")), shard: 2));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Down_servers_are_skipped(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a"), Server("b"), Server("c"));
        backend.Servers[1].SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        var counts = Count(Balancer.Create(backend, 0, randomSeed: 7), Picks, Hash);

        Assert.False(counts.ContainsKey("b"));
        Assert.Equal(Picks, counts.GetValueOrDefault("a") + counts.GetValueOrDefault("c"));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Disabled_drained_and_weight_zero_servers_are_never_picked(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("disabled", disabled: true), Server("drained"), Server("zero", weight: 0), Server("ok"));
        backend.Servers[1].SetAdminState(AdminState.Drain);
        var counts = Count(Balancer.Create(backend, 0, randomSeed: 7), Picks, Hash);

        Assert.Equal(new Dictionary<string, int> { ["ok"] = Picks }, counts);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Full_servers_are_skipped(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("full", maxConn: 1), Server("free", maxConn: 1000));
        backend.Servers[0].ConnectionOpened(1); // held by the other shard
        var counts = Count(Balancer.Create(backend, 0, randomSeed: 7), Picks, Hash);

        Assert.Equal(new Dictionary<string, int> { ["free"] = Picks }, counts);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Backup_only_when_no_active_is_usable_and_only_the_first(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a1"), Server("bk1", backup: true), Server("a2"), Server("bk2", backup: true));
        var balancer = Balancer.Create(backend, 0, randomSeed: 7);
        var (a1, bk1, a2) = (backend.Servers[0], backend.Servers[1], backend.Servers[2]);

        var counts = Count(balancer, Picks, Hash);
        Assert.False(counts.ContainsKey("bk1") || counts.ContainsKey("bk2"));

        a1.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        counts = Count(balancer, Picks, Hash);
        Assert.Equal(new Dictionary<string, int> { ["a2"] = Picks }, counts);

        a2.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        counts = Count(balancer, Picks, Hash);
        Assert.Equal(new Dictionary<string, int> { ["bk1"] = Picks }, counts);

        bk1.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        counts = Count(balancer, Picks, Hash);
        Assert.Equal(new Dictionary<string, int> { ["bk2"] = Picks }, counts);

        a2.SetOperationalState(OperationalState.Up, DateTimeOffset.UtcNow);
        counts = Count(balancer, Picks, Hash);
        Assert.Equal(new Dictionary<string, int> { ["a2"] = Picks }, counts);
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void A_full_active_does_not_divert_to_backup(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a", maxConn: 1), Server("bk", backup: true));
        backend.Servers[0].ConnectionOpened(0);
        Assert.Null(Balancer.Create(backend, 0, randomSeed: 7).Pick(0, null));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Nothing_usable_gives_null(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a"), Server("bk", backup: true));
        foreach (var s in backend.Servers) s.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        var balancer = Balancer.Create(backend, 0, randomSeed: 7);
        Assert.Null(balancer.Pick(0, null));
        Assert.Null(Balancer.Create(Backend(algorithm), 0).Pick(0, null));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Exclude_is_avoided_while_another_server_can_take_it(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a"), Server("b"), Server("c"));
        var b = backend.Servers[1];
        var counts = Count(Balancer.Create(backend, 0, randomSeed: 7), Picks, Hash, exclude: b);

        Assert.False(counts.ContainsKey("b"));
        Assert.Equal(Picks, counts.Values.Sum());
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Exclude_is_returned_when_it_is_the_only_candidate(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a"), Server("b", maxConn: 1));
        var (a, b) = (backend.Servers[0], backend.Servers[1]);
        b.ConnectionOpened(0);
        var balancer = Balancer.Create(backend, 0, randomSeed: 7);

        Assert.Same(a, balancer.Pick(5, exclude: a)); // b is full: one more try on a beats a 503
        a.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        Assert.Null(balancer.Pick(5, exclude: a)); // a down excluded server is never returned
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Pick_allocates_nothing(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a", weight: 3), Server("b", maxConn: 50), Server("c", weight: 2), Server("bk", backup: true));
        var balancer = Balancer.Create(backend, 0, randomSeed: 3);
        var b = backend.Servers[1];
        for (int i = 0; i < 1000; i++) Churn(i); // warm-up: JIT tiers, table builds

        long allocated = SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++) Churn(i);
        });

        Assert.Equal(0, allocated);

        void Churn(int i)
        {
            var server = balancer.Pick((uint)i * 2654435761u, (i & 7) == 0 ? b : null);
            if (server is not null && (i & 1) == 0)
            {
                server.ConnectionOpened(0);
                server.ConnectionClosed(0);
            }
        }
    }
}
