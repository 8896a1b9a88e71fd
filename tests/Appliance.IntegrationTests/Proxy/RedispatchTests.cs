using System.Collections.Concurrent;
using System.Diagnostics;

namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// A connect to a dead server is retried, and with <c>option redispatch</c> the retry may go to another
/// server: with one unchecked server on a closed port and one live server, every client connection succeeds
/// and is answered by the live one.
/// </summary>
public sealed class RedispatchTests(ITestOutputHelper output)
{
    [Fact]
    public void ConnectionsPickingADeadServerAreRedispatchedToTheLiveOne()
    {
        const int connections = 40;
        using var scratch = new ScratchDirectory();
        using var live = BackendProcess.Start(BackendMode.Name, "live");
        int deadPort = FreePort.Next();
        int port = FreePort.Next();
        var config = $"""
            {ConfigTemplates.Global(nbthread: 2)}
            {ConfigTemplates.TcpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                balance roundrobin
                option redispatch
                retries 2
                server dead 127.0.0.1:{deadPort}
                server live {live.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        var clock = Stopwatch.StartNew();

        // In parallel, because HAProxy-style retries may wait up to "timeout connect" between attempts.
        var answers = new ConcurrentBag<string>();
        Parallel.For(0, connections, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            _ => answers.Add(BackendNameProbe.Fetch(port)));

        output.WriteLine($"{connections} connections in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(connections, answers.Count);
        Assert.All(answers, server => Assert.Equal("live", server));
    }
}
