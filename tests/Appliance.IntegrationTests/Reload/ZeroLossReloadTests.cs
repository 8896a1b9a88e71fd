using System.Diagnostics;

namespace Appliance.IntegrationTests.Reload;

/// <summary>
/// Issue 4's acceptance: 20 reloads in a row under continuous traffic (kept-alive HTTP, connection-per-request
/// HTTP, connection-per-request TCP), alternating two valid configurations that differ in a server weight,
/// lose nothing: no failed request, no refused or reset connection, every answer correct.
/// </summary>
public sealed class ZeroLossReloadTests(ITestOutputHelper output)
{
    private const int Reloads = 20;

    [Fact]
    public void TwentyReloadsUnderLoadLoseNothing()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        using var app2 = BackendProcess.Start(BackendMode.Http, "app2");
        using var name = BackendProcess.Start(BackendMode.Name, "tcp1");
        int httpPort = FreePort.Next();
        int tcpPort = FreePort.Next();
        string Config(int weight) => $"""
            global
                nbthread 2
                stats socket {scratch.StatsSocketPath} level admin
                hard-stop-after 20s

            defaults
                mode http
                timeout connect 2s
                timeout client 20s
                timeout server 20s
                timeout http-request 10s
                timeout http-keep-alive 10s

            frontend fe_http
                bind 127.0.0.1:{httpPort}
                default_backend be_http

            frontend fe_tcp
                mode tcp
                bind 127.0.0.1:{tcpPort}
                default_backend be_tcp

            backend be_http
                server app1 {app1.Address} weight {weight}
                server app2 {app2.Address} weight 1

            backend be_tcp
                mode tcp
                server tcp1 {name.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, Config(1), output, arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);
        string[] names = ["app1", "app2"];

        using var traffic = new TrafficLoad();
        traffic.KeepAliveHttp(httpPort, clients: 3, names);
        traffic.PerRequestHttp(httpPort, threads: 2, names);
        traffic.PerRequestTcp(tcpPort, threads: 1, "tcp1");
        Eventually.True(() => traffic.KeepAliveOk > 50 && traffic.PerRequestOk > 20 && traffic.TcpOk > 10,
            TimeSpan.FromSeconds(15), "traffic flows before the first reload");

        var clock = Stopwatch.StartNew();
        int generation = master.ShowProc().Serving.Generation;
        for (int i = 1; i <= Reloads; i++)
        {
            long before = traffic.Ok;
            ApplianceProcess.WriteConfig(scratch, Config(i % 2 == 1 ? 2 : 1));
            int next = master.ReloadOrFail(scratch.FullPath);
            Assert.Equal(generation + 1, next);
            generation = next;
            // Let every kind of client get answers from the new generation before the next reload.
            Eventually.True(() => traffic.Ok > before + 30, TimeSpan.FromSeconds(10), $"traffic flows after reload {i}");
        }
        var reloading = clock.Elapsed;
        Thread.Sleep(300);
        traffic.Stop();

        output.WriteLine($"{Reloads} reloads in {reloading.TotalSeconds:0.0} s; {traffic.Summary}");
        output.WriteLine(master.Send("show proc"));
        Assert.True(traffic.Failed == 0, traffic.Summary);
        Assert.Equal(0, traffic.Refused);
        Assert.True(traffic.KeepAliveOk > 0 && traffic.PerRequestOk > 0 && traffic.TcpOk > 0, traffic.Summary);
        Eventually.True(() => master.ShowProc().OldWorkers.Count == 0, TimeSpan.FromSeconds(20),
            "every old generation has drained and exited");
        Assert.Equal(generation, master.ShowProc().Serving.Generation);
        Assert.False(proxy.HasExited);
    }
}
