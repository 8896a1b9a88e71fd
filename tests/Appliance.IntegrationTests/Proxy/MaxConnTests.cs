namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// <c>maxconn</c> in <c>global</c> above what RLIMIT_NOFILE allows: the appliance either raises its own limit
/// and starts (its soft limit then covers maxconn), or refuses to start with a message that names maxconn or the
/// descriptor limit. It
/// never crashes and never starts with a limit it cannot honour unless told to: with <c>no strict-limits</c>
/// (HAProxy 2.6's switch) it starts with a warning, and connections beyond its descriptors wait in the
/// listen queue until others end.
/// </summary>
public sealed class MaxConnTests(ITestOutputHelper output)
{
    /// <summary>A clear refusal names the setting or the limit (HAProxy: "Cannot raise FD limit to N, limit is M").</summary>
    private static readonly string[] RefusalTerms = ["maxconn", "RLIMIT_NOFILE", "FD limit", "file descriptor", "open files"];

    [Fact]
    public void MaxConnAboveTheDescriptorLimitIsRaisedOrRefusedCleanly()
    {
        using var scratch = new ScratchDirectory();
        using var backend = BackendProcess.Start(BackendMode.Name, "app1");
        var (soft, hard) = ProcFileSystem.ReadOpenFilesLimit(Environment.ProcessId);
        // Above the soft limit the child inherits: on a typical box (soft 1024, hard 512Ki) raising works; where
        // soft == hard and we are not root, only a refusal is possible.
        long maxconn = Math.Min(soft, int.MaxValue - 1000L) + 1000;
        int port = FreePort.Next();
        var config = $"""
            global
                nbthread 2
                maxconn {maxconn}

            {ConfigTemplates.TcpDefaults}

            frontend fe
                bind 127.0.0.1:{port}
                default_backend be

            backend be
                server app1 {backend.Address}
            """;
        output.WriteLine($"test host RLIMIT_NOFILE soft {soft} hard {hard}; maxconn {maxconn}");

        using var proxy = ApplianceProcess.Launch(scratch, config, output);
        var outcome = proxy.WaitForReadyOrExit(ApplianceProcess.DefaultReadyTimeout);

        Assert.True(outcome != StartOutcome.TimedOut, $"neither ready nor exited.\n{proxy.Diagnostics()}");
        Assert.DoesNotContain(proxy.Stderr.Snapshot(), line => line.Contains("Unhandled exception", StringComparison.Ordinal));
        if (outcome == StartOutcome.Ready)
        {
            // With a master/worker split the limit that matters is the worker's: take the highest in the tree.
            long raisedSoft = new[] { proxy.Pid }.Concat(ProcFileSystem.Descendants(proxy.Pid))
                .Max(pid => ProcFileSystem.ReadOpenFilesLimit(pid).Soft);
            output.WriteLine($"started; appliance RLIMIT_NOFILE soft {raisedSoft}");
            Assert.True(raisedSoft >= maxconn, $"started with soft limit {raisedSoft} < maxconn {maxconn}");
            Assert.Equal("app1", BackendNameProbe.Fetch(port));
        }
        else
        {
            output.WriteLine($"refused with exit code {proxy.ExitCode}");
            // 1..127: an orderly refusal; 128+N would be death by signal N (SIGABRT from an unhandled exception, SIGSEGV).
            Assert.InRange(proxy.ExitCode, 1, 127);
            Assert.True(proxy.Stderr.Snapshot().Any(line => RefusalTerms.Any(term => line.Contains(term, StringComparison.OrdinalIgnoreCase))),
                $"the refusal names neither maxconn nor the descriptor limit.\n{proxy.Diagnostics()}");
        }
    }

    /// <summary>The descriptor limit the appliance runs under in the strict-limits tests (through prlimit).</summary>
    private const int FileLimit = 300;

    [Fact]
    public void StrictLimitsRefusesAMaxConnTheDescriptorLimitCannotHold()
    {
        using var scratch = new ScratchDirectory();
        using var proxy = ApplianceProcess.Launch(scratch, StrictLimitsConfig(FreePort.Next(), strict: true), output, UnderFileLimit());

        Assert.Equal(StartOutcome.Exited, proxy.WaitForReadyOrExit(ApplianceProcess.DefaultReadyTimeout));
        Assert.Equal(1, proxy.ExitCode);
        Assert.Contains(proxy.Stderr.Snapshot(), line =>
            line.Contains("maxconn 1000 needs", StringComparison.Ordinal) && line.Contains("no strict-limits", StringComparison.Ordinal));
    }

    /// <summary>
    /// <c>no strict-limits</c>: the appliance starts under a limit too low for maxconn, says so, accepts what its
    /// descriptors allow, pauses accepting on EMFILE (no spin, no crash) and, when clients leave, accepts and
    /// answers the connections that waited in the listen queue.
    /// </summary>
    [Fact]
    public void NoStrictLimitsRunsWithAWarningAndQueuesConnectionsBeyondTheDescriptors()
    {
        using var scratch = new ScratchDirectory();
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Launch(scratch, StrictLimitsConfig(port, strict: false), output, UnderFileLimit());
        proxy.WaitUntilReady(ApplianceProcess.DefaultReadyTimeout);
        Assert.Contains(proxy.Stderr.Snapshot(), line =>
            line.Contains("[WARNING]", StringComparison.Ordinal) && line.Contains("maxconn 1000 needs", StringComparison.Ordinal)
            && line.Contains($"running with {FileLimit}", StringComparison.Ordinal));

        // More connections than descriptors: the kernel completes every handshake, the appliance accepts until EMFILE.
        var clients = new List<LoopbackConnection>();
        try
        {
            for (int i = 0; i < FileLimit + 100; i++) clients.Add(LoopbackConnection.Open(port));
            LoopbackConnection last = clients[^1];
            last.SendText("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
            Assert.True(proxy.Stderr.WaitFor(line => line.Contains("Too many open files", StringComparison.Ordinal), TimeSpan.FromSeconds(10)) is not null,
                $"no accept pause was reported.\n{proxy.Diagnostics()}");
            Assert.False(last.Socket.Poll(300_000, System.Net.Sockets.SelectMode.SelectRead), "the connection beyond the descriptors was answered before any left");

            for (int i = 0; i < 200; i++) clients[i].Dispose();
            HttpResponse response = HttpResponse.Read(last);
            Assert.Equal(200, response.Status);
            Assert.Equal("ok", response.BodyText);
        }
        finally
        {
            foreach (LoopbackConnection client in clients) client.Dispose();
        }
        // Still serving, and the log is not flooded: at the limit each ended connection lets one more in and
        // accepting pauses again, but that is reported at most once per shard every 10 s.
        Assert.Equal(200, HttpExchange.Send(port, "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").Status);
        int pauses = proxy.Stderr.Snapshot().Count(line => line.Contains("Too many open files", StringComparison.Ordinal));
        Assert.InRange(pauses, 1, 2);
    }

    private static string StrictLimitsConfig(int port, bool strict) => $"""
        global
            nbthread 2
            maxconn 1000
            {(strict ? "strict-limits" : "no strict-limits")}

        defaults
            mode http
            timeout connect 5s
            timeout client 30s
            timeout server 30s

        frontend fe
            bind 127.0.0.1:{port}
            http-request return status 200 content-type text/plain string ok
        """;

    /// <summary>The appliance under a soft and hard RLIMIT_NOFILE of <see cref="FileLimit"/>: prlimit sets it and execs, keeping the PID.</summary>
    private static LaunchCommand UnderFileLimit() =>
        new("prlimit", [$"--nofile={FileLimit}:{FileLimit}", "--", TestBinaries.Appliance.FileName, .. TestBinaries.Appliance.LeadingArguments]);
}
