using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Tests.Support;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

/// <summary>
/// Servers added and removed at runtime (copy-on-write <see cref="ServerSet"/>): pickers created before the
/// change follow it on their next pick, a new server is in rotation only once ready, a removed one is never
/// picked again, and picks still allocate nothing once the change was taken in.
/// </summary>
public sealed class DynamicServerBalancingTests
{
    public static TheoryData<BalanceAlgorithm> DynamicAlgorithms =>
        [BalanceAlgorithm.RoundRobin, BalanceAlgorithm.LeastConn, BalanceAlgorithm.First, BalanceAlgorithm.Random];

    [Theory]
    [MemberData(nameof(DynamicAlgorithms))]
    public void An_added_server_takes_traffic_once_ready_and_none_after_removal(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a"));
        var balancer = Balancer.Create(backend, 0);
        Assert.Equal("a", balancer.Pick(0, null)!.Name);

        ServerState added = backend.TryAdd(Server("b", disabled: true), out string? error)!;
        Assert.Null(error);
        Assert.True(added.IsDynamic);
        Assert.Equal(AdminState.Maint, added.AdminState);
        Assert.Equal(1, added.Index); // srv_id 2
        Assert.Equal(["a"], Count(balancer, 50).Keys);

        added.SetAdminState(AdminState.Ready);
        // "first" keeps everything on the first server while it is usable: take it out to see "b".
        if (algorithm == BalanceAlgorithm.First) backend.Servers[0].SetAdminState(AdminState.Maint);
        Assert.True(Count(balancer, 50).GetValueOrDefault("b") > 0);

        added.SetAdminState(AdminState.Maint);
        backend.Servers[0].SetAdminState(AdminState.Ready);
        Assert.True(backend.Remove(added));
        Assert.True(added.IsDeleted);
        Assert.False(backend.Remove(added));
        Assert.Equal(["a"], backend.Servers.Select(s => s.Name));
        Assert.Equal(["a"], Count(balancer, 50).Keys);
    }

    [Fact]
    public void Round_robin_keeps_its_rotation_across_a_list_change()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a", weight: 3), Server("b", weight: 1));
        var balancer = Balancer.Create(backend, 0);
        string before = string.Concat(Enumerable.Range(0, 4).Select(_ => balancer.Pick(0, null)!.Name));
        Assert.Equal(3, before.Count(c => c == 'a'));

        ServerState c = backend.TryAdd(Server("c", weight: 4), out _)!;
        c.SetAdminState(AdminState.Ready);
        // Weights 3:1:4 hold exactly over every cycle of 8 picks after the change.
        for (int cycle = 0; cycle < 50; cycle++)
        {
            var counts = Count(balancer, 8);
            Assert.Equal((3, 1, 4), (counts.GetValueOrDefault("a"), counts.GetValueOrDefault("b"), counts.GetValueOrDefault("c")));
        }
    }

    [Fact]
    public void Names_are_unique_and_ids_never_reused()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a"), Server("b"));
        Assert.Null(backend.TryAdd(Server("a"), out string? error));
        Assert.Equal("Already exists a server with the same name in backend.", error);
        ServerState c = backend.TryAdd(Server("c"), out _)!;
        Assert.Equal(2, c.Index);
        c.SetAdminState(AdminState.Maint);
        backend.Remove(c);
        Assert.Equal(3, backend.TryAdd(Server("c"), out _)!.Index);
    }

    [Fact]
    public void Each_change_publishes_a_new_immutable_list_and_bumps_the_generation()
    {
        var backend = Backend(BalanceAlgorithm.LeastConn, Server("a"), Server("bk", backup: true));
        ServerSet before = backend.Current;
        long generation = backend.StateGeneration;
        int changes = 0;
        backend.ServersChanged += _ => changes++;
        backend.TryAdd(Server("b"), out _);
        Assert.NotSame(before, backend.Current);
        Assert.Equal(["a", "bk"], before.All.Select(s => s.Name)); // a reader's version never changes
        Assert.Equal(["a", "b"], backend.ActiveServers.Select(s => s.Name));
        Assert.Equal(["bk"], backend.BackupServers.Select(s => s.Name));
        Assert.True(backend.StateGeneration > generation);
        Assert.Equal(1, changes);
    }

    [Theory]
    [InlineData(BalanceAlgorithm.StaticRoundRobin)]
    [InlineData(BalanceAlgorithm.Source)]
    public void Static_algorithms_refuse_dynamic_servers_as_haproxy_does(BalanceAlgorithm algorithm)
    {
        Assert.StartsWith("Backend must use a dynamic load balancing to support dynamic servers",
            Backend(algorithm, Server("a")).DynamicServersRefusal());
    }

    [Theory]
    [MemberData(nameof(DynamicAlgorithms))]
    public void Dynamic_algorithms_accept_them(BalanceAlgorithm algorithm) =>
        Assert.Null(Backend(algorithm, Server("a")).DynamicServersRefusal());

    [Theory]
    [InlineData(BalanceAlgorithm.StaticRoundRobin)]
    [InlineData(BalanceAlgorithm.Source)]
    public void Table_based_pickers_still_follow_a_list_change(BalanceAlgorithm algorithm)
    {
        // The runtime API refuses this, but the structures must not break if a list grows under them.
        var backend = Backend(algorithm, Server("a"));
        var balancer = Balancer.Create(backend, 0);
        Assert.Equal("a", balancer.Pick(7, null)!.Name);
        for (int i = 0; i < 5; i++) backend.TryAdd(Server("n" + i, weight: 3), out _);
        var counts = Count(balancer, 160, hash: i => (uint)i);
        Assert.Equal(["a", "n0", "n1", "n2", "n3", "n4"], counts.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(DynamicAlgorithms))]
    public void Picks_allocate_nothing_once_a_change_was_taken_in(BalanceAlgorithm algorithm)
    {
        var backend = Backend(algorithm, Server("a"), Server("b"));
        var balancer = Balancer.Create(backend, 0);
        backend.TryAdd(Server("c"), out _)!.SetAdminState(AdminState.Ready);
        balancer.Pick(0, null); // takes the new list in (round-robin re-sizes its scores once)
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++) balancer.Pick((uint)i, null);
        });
        Assert.Equal(0, allocated);
    }
}
