using System.Collections.Concurrent;

namespace Appliance.IntegrationTests.Proxy;

/// <summary><c>weight 3</c> vs <c>weight 1</c> under roundrobin: three connections in four go to the heavy server.</summary>
public sealed class WeightTests(ITestOutputHelper output)
{
    [Fact]
    public void WeightsThreeToOneGiveThreeQuartersOfConnections()
    {
        const int connections = 4000;
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Name, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Name, "app2");
        int port = FreePort.Next();
        // No health checks: the servers are up from the start, so every connection counts.
        var config = $"""
            {ConfigTemplates.Global(nbthread: 2)}
            {ConfigTemplates.TcpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance roundrobin
                server app1 {app1.Address} weight 3
                server app2 {app2.Address} weight 1
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        var counts = new ConcurrentDictionary<string, int>();
        // A few clients at once finish 4,000 connections in seconds without queueing at the listener.
        Parallel.For(0, connections, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            _ => counts.AddOrUpdate(BackendNameProbe.Fetch(port), 1, (_, n) => n + 1));

        output.WriteLine(string.Join(", ", counts.Select(pair => $"{pair.Key} {pair.Value}")));
        Assert.Equal(connections, counts.Values.Sum());
        Assert.Equal(["app1", "app2"], counts.Keys.Order());
        Assert.InRange(counts["app1"] / (double)connections, 0.70, 0.80);
    }
}
