using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Appliance.IntegrationTests.Reload;

/// <summary>
/// The master's control paths: an invalid file is refused without touching the serving generation; a
/// worker killed with SIGKILL under load is replaced on the same sockets; counters never go backwards over
/// reloads and account for every request; systemd hears READY, RELOADING, READY, STOPPING in that order.
/// </summary>
public sealed class ReloadControlTests(ITestOutputHelper output)
{
    [Fact]
    public void AnInvalidConfigIsRefusedWithFileAndLineAndTrafficIsUnaffected()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        string valid = HttpConfig(port, scratch, app1);
        using var proxy = ApplianceProcess.Start(scratch, valid, output, arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);
        var before = master.ShowProc().Serving;

        using var traffic = new TrafficLoad();
        traffic.PerRequestHttp(port, threads: 2, ["app1"]);
        Eventually.True(() => traffic.PerRequestOk > 20, TimeSpan.FromSeconds(10), "traffic flows");

        string invalid = valid + "\nbackend broken\n    balance roundrobbin\n    server x 127.0.0.1:99999\n";
        ApplianceProcess.WriteConfig(scratch, invalid);
        var refused = master.Reload(scratch.FullPath);
        output.WriteLine(refused.ToString());
        Assert.NotEqual(0, refused.ExitCode);
        foreach (string fragment in (string[])["roundrobbin", "99999"])
        {
            string location = $"{proxy.ConfigPath}:{ConfigLines.NumberOf(invalid, fragment)}: section 'broken': ";
            Assert.True(refused.Stderr.Any(l => l.StartsWith(location, StringComparison.Ordinal)), $"no '{location}…' line:\n{refused}");
        }
        Assert.Equal(before, master.ShowProc().Serving);
        long afterRefusal = traffic.PerRequestOk;
        Eventually.True(() => traffic.PerRequestOk > afterRefusal + 20, TimeSpan.FromSeconds(10), "traffic still flows");

        ApplianceProcess.WriteConfig(scratch, valid);
        Assert.Equal(before.Generation + 1, master.ReloadOrFail(scratch.FullPath));
        traffic.Stop();
        output.WriteLine(traffic.Summary);
        Assert.True(traffic.Failed == 0, traffic.Summary);
        Assert.Contains("[failed: 1]", master.Send("show proc"));
    }

    [Fact]
    public void AKilledWorkerIsReplacedOnTheSameSocketsWhileConnectionsWait()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(port, scratch, app1), output,
            arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);
        var (oldPid, generation) = master.ShowProc().Serving;
        var handedOver = SharedSocketInodes(proxy.Pid, oldPid);
        Assert.NotEmpty(handedOver);

        const int Threads = 4;
        using var traffic = new TrafficLoad();
        traffic.PerRequestHttp(port, Threads, ["app1"]);
        Eventually.True(() => traffic.PerRequestOk > 50, TimeSpan.FromSeconds(10), "traffic flows");

        var clock = Stopwatch.StartNew();
        ChildProcess.KillProcess(oldPid);
        var (newPid, newGeneration) = Eventually.Value(() => master.ShowProc().Workers,
            workers => workers.Count == 1 && workers[0].Pid != oldPid, TimeSpan.FromSeconds(10), "a new worker serves")[0];
        var replaced = clock.Elapsed;
        long atRestart = traffic.PerRequestOk;
        Eventually.True(() => traffic.PerRequestOk > atRestart + 50, TimeSpan.FromSeconds(10), "traffic flows again");
        traffic.Stop();

        output.WriteLine($"worker {oldPid} killed; {newPid} serving after {replaced.TotalMilliseconds:0} ms; {traffic.Summary}");
        Assert.Equal(generation, newGeneration);
        Assert.True(replaced < TimeSpan.FromSeconds(2), $"replaced after {replaced.TotalMilliseconds:0} ms");
        Assert.Subset(SocketInodes(newPid), handedOver);
        Assert.Equal(0, traffic.Refused);
        // Only connections the killed worker had already accepted can fail: at most one per client thread.
        Assert.True(traffic.Failed <= Threads, traffic.Summary);
        // The master logs the restart on stderr; the line may still be on its way through the pipe.
        Eventually.True(() => proxy.Stderr.Text.Contains("restart #1", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the master logs the restart");
    }

    [Fact]
    public void CountersAreMonotonicAcrossFiveReloadsAndAccountForEveryRequest()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(port, scratch, app1), output,
            arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);
        var api = new RuntimeApiClient(scratch.StatsSocketPath);
        const int PerStep = 40;
        long sent = 0;
        long lastConnections = 0, lastRequests = 0;
        for (int step = 0; step <= 5; step++)
        {
            for (int i = 0; i < PerStep; i++)
            {
                using var connection = LoopbackConnection.Open(port);
                connection.SendText(HttpReply.GetRequest(close: true));
                Assert.Equal(200, HttpReply.Read(connection).Status);
                sent++;
            }
            var info = api.ShowInfo();
            long connections = info.GetInt64("CumConns"), requests = info.GetInt64("CumReq");
            output.WriteLine($"step {step}: generation {info.GetInt64("Generation")}, CumConns {connections}, CumReq {requests}, sent {sent}");
            Assert.True(connections >= lastConnections && requests >= lastRequests, "a counter went backwards");
            Assert.True(connections <= sent && requests <= sent, "counted more than was sent");
            (lastConnections, lastRequests) = (connections, requests);
            if (step < 5) master.ReloadOrFail(scratch.FullPath);
        }
        Eventually.True(() => master.ShowProc().OldWorkers.Count == 0, TimeSpan.FromSeconds(10), "old generations exited");
        var final = Eventually.Value(api.ShowInfo, i => i.GetInt64("CumReq") == sent, TimeSpan.FromSeconds(5),
            $"CumReq accounts for all {sent} requests");
        Assert.Equal(sent, final.GetInt64("CumConns"));
        Assert.Equal(6, final.GetInt64("Generation"));
    }

    [Fact]
    public void SystemdHearsReadyReloadingReadyStoppingInOrderAndSigusr2Reloads()
    {
        using var scratch = new ScratchDirectory();
        using var app1 = BackendProcess.Start(BackendMode.Http, "app1");
        string notifyPath = scratch.PathOf("notify.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(notifyPath));
        listener.ReceiveTimeout = 15000;
        int port = FreePort.Next();
        string pidFile = scratch.PathOf("appliance.pid");
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(port, scratch, app1), output,
            arguments: [.. MasterControl.Arguments(scratch), "-p", pidFile],
            environment: new Dictionary<string, string?> { ["NOTIFY_SOCKET"] = notifyPath });
        Assert.Equal($"{proxy.Pid}\n", File.ReadAllText(pidFile));
        var master = MasterControl.For(scratch);

        var messages = new List<string>();
        string Next()
        {
            var buffer = new byte[4096];
            int n = listener.Receive(buffer);
            string message = Encoding.UTF8.GetString(buffer, 0, n);
            messages.Add(message);
            return message;
        }

        string ready = Next();
        Assert.Contains("READY=1\n", ready);
        Assert.Contains($"MAINPID={proxy.Pid}\n", ready);
        proxy.Signal(12); // SIGUSR2, as systemd's ExecReload=kill -USR2 $MAINPID would
        string reloading = Next();
        Assert.Contains("RELOADING=1\n", reloading);
        Assert.Matches(@"MONOTONIC_USEC=\d+\n", reloading);
        long usec = long.Parse(System.Text.RegularExpressions.Regex.Match(reloading, @"MONOTONIC_USEC=(\d+)").Groups[1].Value);
        long now = (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));
        Assert.InRange(now - usec, 0, 30_000_000); // CLOCK_MONOTONIC, within the last 30 s
        Assert.Contains("READY=1\n", Next());
        Assert.Equal(2, master.ShowProc().Serving.Generation);
        Assert.Equal(0, proxy.Stop());
        Assert.False(File.Exists(pidFile), "the pid file is removed on exit");
        Assert.Contains("STOPPING=1\n", Next());
        output.WriteLine(string.Join("---\n", messages));
        Assert.All(messages, m => Assert.Contains("STATUS=", m));
    }

    [Fact]
    public void AReloadKeepsTheSocketsOfRemainingBindsOpensNewOnesAndClosesRemovedOnes()
    {
        using var scratch = new ScratchDirectory();
        using var name = BackendProcess.Start(BackendMode.Name, "app1");
        int first = FreePort.Next();
        int second = FreePort.Next();
        string Config(params int[] ports) => $"""
            global
                nbthread 2

            defaults
                mode tcp
                timeout connect 2s
                timeout client 20s
                timeout server 20s

            frontend fe
            {string.Join("\n", ports.Select(p => $"    bind 127.0.0.1:{p}"))}
                default_backend be

            backend be
                server app1 {name.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, Config(first), output, arguments: MasterControl.Arguments(scratch));
        var master = MasterControl.For(scratch);
        var firstSockets = SharedSocketInodes(proxy.Pid, master.ShowProc().Serving.Pid);

        ApplianceProcess.WriteConfig(scratch, Config(first, second));
        master.ReloadOrFail(scratch.FullPath);
        Assert.Equal("app1", BackendNameProbe.Fetch(first));
        Assert.Equal("app1", BackendNameProbe.Fetch(second));
        var bothSockets = SharedSocketInodes(proxy.Pid, master.ShowProc().Serving.Pid);
        Assert.Subset(bothSockets, firstSockets);
        Assert.Equal(2 * firstSockets.Count, bothSockets.Count);

        ApplianceProcess.WriteConfig(scratch, Config(second));
        master.ReloadOrFail(scratch.FullPath);
        Assert.Equal("app1", BackendNameProbe.Fetch(second));
        var refused = Assert.Throws<SocketException>(() => BackendNameProbe.Fetch(first));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Empty(firstSockets.Intersect(SocketInodes(proxy.Pid)));
    }

    internal static string HttpConfig(int port, ScratchDirectory scratch, BackendProcess app) => $"""
        global
            nbthread 2
            stats socket {scratch.StatsSocketPath} level admin
            hard-stop-after 20s

        defaults
            mode http
            timeout connect 2s
            timeout client 20s
            timeout server 20s

        frontend fe
            bind 127.0.0.1:{port}
            default_backend be

        backend be
            server {app.Name} {app.Address}
        """;

    /// <summary>Socket inodes open in both processes: what the master handed to the worker.</summary>
    private static HashSet<string> SharedSocketInodes(int master, int worker)
    {
        var shared = SocketInodes(master);
        shared.IntersectWith(SocketInodes(worker));
        return shared;
    }

    private static HashSet<string> SocketInodes(int pid)
    {
        var inodes = new HashSet<string>();
        foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                string? target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:", StringComparison.Ordinal)) inodes.Add(target);
            }
            catch (IOException)
            {
                // Closed while listing.
            }
        }
        return inodes;
    }
}
