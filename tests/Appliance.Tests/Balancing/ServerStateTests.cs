using System.Runtime.CompilerServices;
using Appliance.Balancing;
using Appliance.Config.Model;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Balancing;

public class ServerStateTests
{
    [Fact]
    public void Slots_are_padded_so_two_shards_never_share_128_bytes()
    {
        Assert.Equal(160, Unsafe.SizeOf<ShardConnectionSlot>());
        var slots = new ShardConnectionSlot[3];
        // Distance between the end of one slot's counters (the last is EstimatedNeed) and the start of the next one's.
        long gap = Unsafe.ByteOffset(ref Unsafe.As<int, byte>(ref slots[0].EstimatedNeed), ref Unsafe.As<long, byte>(ref slots[1].Active))
            - sizeof(int);
        Assert.True(gap >= 128, $"gap {gap}");
        // And the first counters sit 128 bytes after the array's first byte (away from its header).
        long lead = Unsafe.ByteOffset(ref Unsafe.As<ShardConnectionSlot, byte>(ref slots[0]), ref Unsafe.As<long, byte>(ref slots[0].Active));
        Assert.Equal(128, lead);
    }

    [Fact]
    public void Starts_from_config()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a", weight: 7, maxConn: 3), Server("b", disabled: true, backup: true));
        var a = backend.Servers[0];
        var b = backend.Servers[1];

        Assert.Equal("web_back", a.BackendName);
        Assert.Equal(0, a.Index);
        Assert.Equal(1, b.Index);
        Assert.True(a.IsUp);
        Assert.Equal(AdminState.Ready, a.AdminState);
        Assert.Equal(7, a.Weight);
        Assert.True(a.IsUsable);
        Assert.Equal(AdminState.Maint, b.AdminState);
        Assert.False(b.IsUsable);
        Assert.True(b.IsBackup);
        Assert.Same(a, backend.FindServer("a"));
        Assert.Null(backend.FindServer("zz"));
        Assert.Equal([a], backend.ActiveServers.ToArray());
        Assert.Equal([b], backend.BackupServers.ToArray());
        Assert.Null(a.LastCheck);
    }

    [Fact]
    public void Counts_per_shard_and_sums()
    {
        var server = Backend(BalanceAlgorithm.LeastConn, shardCount: 3, Server("a")).Servers[0];
        server.ConnectionOpened(0);
        server.ConnectionOpened(2);
        server.ConnectionOpened(2);
        Assert.Equal(3, server.ActiveConnections);
        Assert.Equal(1, server.ActiveConnectionsOn(0));
        Assert.Equal(0, server.ActiveConnectionsOn(1));
        Assert.Equal(2, server.ActiveConnectionsOn(2));

        server.ConnectionClosed(2);
        Assert.Equal(2, server.ActiveConnections);
        Assert.Equal(3, server.TotalConnections);
        Assert.Throws<ArgumentOutOfRangeException>(() => server.ConnectionOpened(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => server.ConnectionOpened(-1));
    }

    [Fact]
    public void Concurrent_shards_sum_exactly()
    {
        const int PerThread = 200_000;
        var server = Backend(BalanceAlgorithm.LeastConn, shardCount: 2, Server("a")).Servers[0];
        using var go = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(shard => new Thread(() =>
        {
            go.SignalAndWait();
            for (int i = 0; i < PerThread; i++)
            {
                server.ConnectionOpened(shard);
                if ((i & 1) == 0) server.ConnectionClosed(shard);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();

        // A reader summing concurrently never sees more than was opened.
        long seen = 0;
        while (threads.Any(t => t.IsAlive)) seen = Math.Max(seen, server.ActiveConnections);
        foreach (var t in threads) t.Join();

        Assert.True(seen <= PerThread);
        Assert.Equal(PerThread, server.ActiveConnections); // each thread keeps half open
        Assert.Equal(2L * PerThread, server.TotalConnections);
    }

    [Fact]
    public void Free_slot_follows_maxconn_and_zero_is_unlimited()
    {
        var backend = Backend(BalanceAlgorithm.First, Server("limited", maxConn: 2), Server("unlimited"));
        var limited = backend.Servers[0];
        var unlimited = backend.Servers[1];

        limited.ConnectionOpened(0);
        Assert.True(limited.HasFreeSlot);
        limited.ConnectionOpened(1);
        Assert.False(limited.HasFreeSlot);
        limited.ConnectionClosed(0);
        Assert.True(limited.HasFreeSlot);

        for (int i = 0; i < 1000; i++) unlimited.ConnectionOpened(0);
        Assert.True(unlimited.HasFreeSlot);
    }

    [Fact]
    public void Usable_needs_up_ready_and_weight()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a"));
        var a = backend.Servers[0];
        var at = DateTimeOffset.UnixEpoch.AddDays(1);

        Assert.True(a.SetOperationalState(OperationalState.Down, at));
        Assert.False(a.SetOperationalState(OperationalState.Down, at));
        Assert.False(a.IsUsable);
        Assert.Equal(at, a.LastStateChange);
        Assert.Equal(1, a.DownTransitions);
        a.SetOperationalState(OperationalState.Up, at);
        Assert.True(a.IsUsable);

        a.SetAdminState(AdminState.Drain);
        Assert.False(a.IsUsable);
        a.SetAdminState(AdminState.Ready);
        a.SetWeight(0);
        Assert.False(a.IsUsable);
        a.SetWeight(ServerState.MaxWeight);
        Assert.True(a.IsUsable);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.SetWeight(ServerState.MaxWeight + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.SetWeight(-1));
    }

    [Fact]
    public void Every_state_change_bumps_the_backend_generation()
    {
        var backend = Backend(BalanceAlgorithm.RoundRobin, Server("a"));
        var a = backend.Servers[0];
        long g0 = backend.StateGeneration;

        a.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        long g1 = backend.StateGeneration;
        a.SetAdminState(AdminState.Drain);
        long g2 = backend.StateGeneration;
        a.SetWeight(5);
        long g3 = backend.StateGeneration;
        a.SetWeight(5); // no change, no bump
        a.SetAdminState(AdminState.Drain);

        Assert.True(g0 < g1 && g1 < g2 && g2 < g3);
        Assert.Equal(g3, backend.StateGeneration);
    }

    [Fact]
    public void Publishes_check_reports_and_counts_failures()
    {
        var a = Backend(BalanceAlgorithm.RoundRobin, Server("a")).Servers[0];
        var failed = new CheckReport("L4CON", "Layer4 connection problem", "Connection refused", false, TimeSpan.Zero, DateTimeOffset.UnixEpoch);
        var passed = failed with { Status = "L4OK", Description = "Layer4 check passed", Info = null, Passed = true };

        a.PublishCheck(failed);
        a.PublishCheck(failed);
        a.PublishCheck(passed);

        Assert.Equal(2, a.CheckFailures);
        Assert.Same(passed, a.LastCheck);
    }

    [Fact]
    public void Table_finds_backends_by_name()
    {
        var config = new ApplianceConfig(GlobalConfig.Default, ValueList<FrontendConfig>.Empty,
            new ValueList<BackendConfig>([BackendConfig(BalanceAlgorithm.RoundRobin, [Server("a")], "one"),
                BackendConfig(BalanceAlgorithm.LeastConn, [Server("b")], "two")]));
        var table = new BackendStateTable(config, shardCount: 4);

        Assert.Equal(2, table.Backends.Length);
        Assert.Equal(BalanceAlgorithm.LeastConn, table.Find("two")!.Algorithm);
        Assert.Equal(4, table.Find("one")!.Servers[0].ShardCount);
        Assert.Null(table.Find("three"));
    }
}
