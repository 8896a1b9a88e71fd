namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Idle kept-alive server connections are sized as HAProxy sizes them: a shard keeps what its peak use
/// says it needs (one at least), <c>pool-max-conn</c> caps a server's idle connections over all shards,
/// and every <c>pool-purge-delay</c> half of those beyond the need are closed (0: never). Counted at the
/// origin: connections it accepted and has not seen closed.
/// </summary>
public sealed class IdleServerConnectionTests(ITestOutputHelper output)
{
    private const int Shards = 2;

    [Fact]
    public void ClientsThatCloseAfterEachRequestLeaveAtMostOneIdleServerConnectionPerShard()
    {
        const int requests = 40;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin], nbthread: Shards), output);

        for (int i = 0; i < requests; i++)
        {
            using var connection = LoopbackConnection.Open(port);
            connection.SendText(HttpRequests.Get($"/client/{i}", close: true));
            Assert.Equal(200, HttpResponse.Read(connection).Status);
        }

        // A first request never takes an idle connection, so each client had its own; the surplus is reset
        // when released instead of filling the pool.
        Assert.Equal(requests, origin.ReadRecord().ConnectionsCarryingRequests);
        AssertOpenConnectionsSettleAtMost(origin, Shards, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void PoolMaxConnZeroKeepsNoServerConnectionBetweenRequests()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch,
            ConfigTemplates.HttpToServers(port, [origin], nbthread: Shards, backendLines: "default-server pool-max-conn 0"), output);
        using var connection = LoopbackConnection.Open(port);

        for (int i = 0; i < 10; i++)
        {
            connection.SendText(HttpRequests.Get($"/nopool/{i}"));
            var response = HttpResponse.Read(connection);
            Assert.Equal(200, response.Status);
            Assert.False(response.HasConnectionOption("close"), $"request {i} was answered with close");
        }

        Assert.Equal(10, origin.ReadRecord().ConnectionsCarryingRequests);
        AssertOpenConnectionsSettleAtMost(origin, 0, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task PoolMaxConnCapsTheIdleConnectionsOfAServerOverAllShards()
    {
        const int clients = 10;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch,
            ConfigTemplates.HttpToServers(port, [origin], nbthread: Shards, backendLines: "default-server pool-max-conn 1"), output);

        // All clients hold a request in flight at once (the origin answers after 300 ms), so each shard has
        // several server connections to release at about the same moment.
        var workers = Enumerable.Range(0, clients).Select(client => Task.Factory.StartNew(() =>
        {
            using var connection = LoopbackConnection.Open(port);
            for (int i = 0; i < 2; i++)
            {
                connection.SendText(HttpRequests.Get("/slow/300"));
                Assert.Equal(200, HttpResponse.Read(connection).Status);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        AssertOpenConnectionsSettleAtMost(origin, 1, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void AnIdleConnectionIsPurgedAfterTrafficStopsButKeptWithPurgeDelayZero()
    {
        using var scratch = new ScratchDirectory();
        using var purged = BackendProcess.StartRecordingOrigin(scratch, "purged");
        using var kept = BackendProcess.StartRecordingOrigin(scratch, "kept");
        int purgedPort = FreePort.Next(), keptPort = FreePort.Next();
        using var purging = ApplianceProcess.Start(scratch,
            ConfigTemplates.HttpToServers(purgedPort, [purged], backendLines: "default-server pool-purge-delay 1s"), output);
        using var keeping = ApplianceProcess.Start(scratch,
            ConfigTemplates.HttpToServers(keptPort, [kept], backendLines: "default-server pool-purge-delay 0"), output);

        var sent = DateTime.UtcNow;
        foreach (int port in new[] { purgedPort, keptPort })
        {
            using var connection = LoopbackConnection.Open(port);
            connection.SendText(HttpRequests.Get("/once"));
            Assert.Equal(200, HttpResponse.Read(connection).Status);
        }
        Assert.Equal(1, OpenConnections(purged));
        Assert.Equal(1, OpenConnections(kept));

        // Need 1 → 1 → 0 over the first periods, then the connection is the excess: closed in about 3 s.
        AssertOpenConnectionsSettleAtMost(purged, 0, TimeSpan.FromSeconds(10));
        // Idle connections have no timer of their own: with no purge, it outlives any period.
        Thread.Sleep(sent + TimeSpan.FromSeconds(7) - DateTime.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero);
        Assert.Equal(1, OpenConnections(kept));
    }

    [Fact]
    public void ShowServersConnReportsTheIdlePool()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        string config = $"""
            {ConfigTemplates.Global(nbthread: 1, scratch.StatsSocketPath)}
            {ConfigTemplates.HttpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                server app1 {origin.Address} pool-max-conn 5 pool-purge-delay 30s
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        using (var connection = LoopbackConnection.Open(port))
        {
            for (int i = 0; i < 2; i++)
            {
                connection.SendText(HttpRequests.Get($"/conn/{i}"));
                Assert.Equal(200, HttpResponse.Read(connection).Status);
            }
        }

        string[] lines = new RuntimeApiClient(scratch.StatsSocketPath).Send("show servers conn be").Split('\n');
        output.WriteLine(string.Join('\n', lines));
        Assert.Equal("# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[1]", lines[0]);
        // One connection, idle after carrying both requests (so on the safe side), none in use; peak and need 1.
        Assert.Equal($"be/app1 2/1 127.0.0.1 {origin.Port} - 30000 0 1 1 0 1 5 1 1", lines[1]);
    }

    private static int OpenConnections(BackendProcess origin) => origin.ReadRecord().OpenConnections;

    private void AssertOpenConnectionsSettleAtMost(BackendProcess origin, int expected, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        int open;
        while ((open = OpenConnections(origin)) > expected && DateTime.UtcNow < deadline) Thread.Sleep(50);
        output.WriteLine($"{open} server connections open at the origin");
        Assert.True(open <= expected, $"{open} server connections still open at the origin after {within.TotalSeconds} s; at most {expected} expected");
    }
}
