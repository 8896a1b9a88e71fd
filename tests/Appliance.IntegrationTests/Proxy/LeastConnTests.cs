namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// <c>balance leastconn</c>: a new connection goes to the server with the fewest open ones, counted across
/// shards. The backends run in <c>name</c> mode, which holds every connection until the client closes it.
/// </summary>
public sealed class LeastConnTests(ITestOutputHelper output)
{
    private const int Held = 10;

    [Fact]
    public void NewConnectionsGoToTheServerWithFewerOpenOnes()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Name, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Name, "app2");
        int port = FreePort.Next();
        var config = $"""
            {ConfigTemplates.Global(nbthread: 2, scratch.StatsSocketPath)}
            {ConfigTemplates.TcpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance leastconn
                server app1 {app1.Address}
                server app2 {app2.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        var runtimeApi = new RuntimeApiClient(scratch.StatsSocketPath);
        var open = new List<(string Server, LoopbackConnection Connection)>();
        try
        {
            // Opened one after another, each pick sees the previous one, so the servers stay level.
            for (int i = 0; i < 2 * Held; i++)
            {
                open.Add(OpenHeld(port));
            }

            Assert.Equal(Held, open.Count(c => c.Server == "app1"));
            Assert.Equal(Held, open.Count(c => c.Server == "app2"));

            // Now app1 holds Held connections and app2 none.
            foreach (var (_, connection) in open.Where(c => c.Server == "app2"))
            {
                connection.Dispose();
            }

            open.RemoveAll(c => c.Server == "app2");
            // Whether the runtime API's own connection counts in CurrConns is left to the engine (HAProxy counts it).
            Eventually.True(() => runtimeApi.ShowInfo().GetInt64("CurrConns") <= Held + 1, TimeSpan.FromSeconds(10),
                $"the proxy closed app2's connections (CurrConns <= {Held + 1})");

            // app2 stays below app1 for the next Held - 1 picks even if one close was still being processed.
            var next = new List<string>();
            for (int i = 0; i < Held - 1; i++)
            {
                var held = OpenHeld(port);
                open.Add(held);
                next.Add(held.Server);
            }

            output.WriteLine($"after closing app2's connections: {string.Join(", ", next)}");
            Assert.All(next, server => Assert.Equal("app2", server));
        }
        finally
        {
            foreach (var (_, connection) in open)
            {
                connection.Dispose();
            }
        }
    }

    private static (string Server, LoopbackConnection Connection) OpenHeld(int port)
    {
        var connection = LoopbackConnection.Open(port);
        try
        {
            return (connection.ReadLine() ?? throw new EndOfStreamException("closed before the name line"), connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
