namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// <c>maxconn</c> in <c>global</c> above what RLIMIT_NOFILE allows: the appliance either raises its own limit
/// and starts (its soft limit then covers maxconn), or refuses to start with a message that names maxconn or the
/// descriptor limit. It
/// never crashes and never starts with a limit it cannot honour. (HAProxy's third way, silently lowering
/// maxconn with a warning, is deliberately not accepted here.)
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
}
