namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// <c>balance roundrobin</c> with the seed config: no <c>mode</c> line, so TCP mode, and each client connection
/// is bound to one server for its whole life (two HTTP requests on one connection get the same server).
/// Rotation is kept per shard: with one shard it alternates strictly; with two, each shard alternates on its
/// own, so the totals can differ by at most one per shard.
/// </summary>
public sealed class RoundRobinTests(ITestOutputHelper output)
{
    [Fact]
    public void SeedConfigAlternatesStrictlyWithOneShard()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, SeedConfig(nbthread: 1, port, app1, app2), output);
        WaitUntilBothServersAnswer(port);

        var servers = Enumerable.Range(0, 12).Select(_ => ServerOfOneConnection(port)).ToArray();

        for (int i = 1; i < servers.Length; i++)
        {
            Assert.True(servers[i] != servers[i - 1],
                $"connections {i - 1} and {i} both went to {servers[i]}: {string.Join(", ", servers)}");
        }

        Assert.Equal(6, servers.Count(server => server == "app1"));
    }

    [Fact]
    public void TwoShardsSplitConnectionsEvenly()
    {
        const int connections = 200;
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, SeedConfig(nbthread: 2, port, app1, app2), output);
        WaitUntilBothServersAnswer(port);

        var servers = Enumerable.Range(0, connections).Select(_ => ServerOfOneConnection(port)).ToArray();
        int toApp1 = servers.Count(server => server == "app1");
        int toApp2 = servers.Count(server => server == "app2");

        output.WriteLine($"app1 {toApp1}, app2 {toApp2}");
        Assert.Equal(connections, toApp1 + toApp2);
        // Each of the 2 shards can be one step ahead in its own rotation.
        Assert.InRange(Math.Abs(toApp1 - toApp2), 0, 2);
    }

    private static string SeedConfig(int nbthread, int port, BackendProcess app1, BackendProcess app2) => $"""
        global
            nbthread {nbthread}

        frontend http_front
            bind 127.0.0.1:{port}
            default_backend web_back

        backend web_back
            balance roundrobin
            server app1 {app1.Address} check
            server app2 {app2.Address} check
        """;

    /// <summary>
    /// Servers with <c>check</c> may start DOWN until their first checks pass (default inter 2 s); distribution is
    /// only measured once both have answered.
    /// </summary>
    private static void WaitUntilBothServersAnswer(int port)
    {
        var seen = new HashSet<string>();
        Eventually.True(
            () =>
            {
                seen.Add(ServerOfOneConnection(port));
                return seen.Contains("app1") && seen.Contains("app2");
            },
            TimeSpan.FromSeconds(15),
            "both app1 and app2 answer through the proxy");
    }

    /// <summary>Two keep-alive requests on one connection; TCP mode must send both to the same server.</summary>
    private static string ServerOfOneConnection(int port)
    {
        using var connection = LoopbackConnection.Open(port);
        connection.SendText(HttpReply.GetRequest("/first"));
        var first = HttpReply.Read(connection);
        connection.SendText(HttpReply.GetRequest("/second"));
        var second = HttpReply.Read(connection);

        Assert.Equal(200, first.Status);
        Assert.Equal(first.Headers["X-Backend"], first.Body);
        Assert.Equal(first.Body, second.Body);
        return first.Body;
    }
}
