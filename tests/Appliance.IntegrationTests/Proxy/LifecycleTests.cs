namespace Appliance.IntegrationTests.Proxy;

/// <summary><c>appliance run</c> stops cleanly, with exit code 0, on SIGTERM and on SIGINT.</summary>
public sealed class LifecycleTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(ChildProcess.SignalTerminate)]
    [InlineData(ChildProcess.SignalInterrupt)]
    public void StopsWithExitCodeZeroOnSignal(int signal)
    {
        using var scratch = new ScratchDirectory();
        using var backend = BackendProcess.Start(BackendMode.Name, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, backend), output);
        Assert.Equal("app1", BackendNameProbe.Fetch(port));

        proxy.Signal(signal);

        Assert.True(proxy.WaitForExit(TimeSpan.FromSeconds(10)), $"still running 10 s after signal {signal}");
        Assert.True(proxy.ExitCode == 0, $"exit code {proxy.ExitCode}.\n{proxy.Diagnostics()}");
    }
}
