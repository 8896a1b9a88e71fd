namespace Appliance.IntegrationTests.Proxy;

/// <summary><c>appliance run</c> stops cleanly, with exit code 0, on SIGTERM and on SIGINT.</summary>
public sealed class LifecycleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ChildProcess.SignalTerminate)]
    [InlineData(ChildProcess.SignalInterrupt)]
    public void StopsWithExitCodeZeroOnSignal(int signal)
    {
        // A shell starts background jobs with SIGINT ignored and POSIX children inherit that; the
        // runtime then keeps ignoring it. Only then is there nothing to test for SIGINT.
        if (signal == ChildProcess.SignalInterrupt && InheritedIgnore(signal))
        {
            output.WriteLine("SIGINT is ignored by this test run's environment (background job); not testable here");
            return;
        }
        using var scratch = new ScratchDirectory();
        using var backend = BackendProcess.Start(BackendMode.Name, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, backend), output);
        Assert.Equal("app1", BackendNameProbe.Fetch(port));

        proxy.Signal(signal);

        Assert.True(proxy.WaitForExit(TimeSpan.FromSeconds(10)), $"still running 10 s after signal {signal}");
        Assert.True(proxy.ExitCode == 0, $"exit code {proxy.ExitCode}.\n{proxy.Diagnostics()}");
    }

    /// <summary>Whether this process was started with <paramref name="signal"/> ignored (SigIgn in /proc).</summary>
    private static bool InheritedIgnore(int signal)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith("SigIgn:", StringComparison.Ordinal)) continue;
            ulong mask = Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
            return (mask & (1UL << (signal - 1))) != 0;
        }
        return false;
    }
}
