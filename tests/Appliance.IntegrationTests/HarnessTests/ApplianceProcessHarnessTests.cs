using Xunit.Sdk;

namespace Appliance.IntegrationTests.HarnessTests;

/// <summary>
/// <see cref="ApplianceProcess"/> driven by shell scripts that imitate the appliance's contract, so the harness
/// is proven before the real proxy exists.
/// </summary>
public sealed class ApplianceProcessHarnessTests(ITestOutputHelper output)
{
    private const string MinimalConfig = "global\n    nbthread 1\n";

    [Fact]
    public void StartReturnsOnTheReadyLineAndStopSendsSigterm()
    {
        using var scratch = new ScratchDirectory();
        var fake = FakeAppliance(scratch, """
            trap 'echo "stopping on TERM" >&2; exit 0' TERM
            echo "loading $3" >&2
            echo "[shard 0] Appliance ready (1 listener)" >&2
            echo "to stdout"
            while :; do sleep 0.05; done
            """);

        using var appliance = ApplianceProcess.Launch(scratch, MinimalConfig, output, fake);
        appliance.WaitUntilReady(ApplianceProcess.DefaultReadyTimeout);

        Assert.Contains($"loading {appliance.ConfigPath}", appliance.Stderr.Snapshot());
        Assert.Equal(MinimalConfig, File.ReadAllText(appliance.ConfigPath));
        Assert.InRange(appliance.OpenFileDescriptorCount(), 3, 1000);
        Eventually.True(() => appliance.Stdout.Contains("to stdout"), TimeSpan.FromSeconds(5), "stdout captured");
        Assert.Equal(0, appliance.Stop());
        Assert.Contains("stopping on TERM", appliance.Stderr.Snapshot());
    }

    [Fact]
    public void StopKillsAProcessThatIgnoresSigterm()
    {
        using var scratch = new ScratchDirectory();
        var fake = FakeAppliance(scratch, """
            trap '' TERM
            echo "Appliance ready" >&2
            while :; do sleep 0.05; done
            """);

        using var appliance = ApplianceProcess.Launch(scratch, MinimalConfig, output, fake);
        appliance.WaitUntilReady(ApplianceProcess.DefaultReadyTimeout);

        Assert.Null(appliance.Stop(TimeSpan.FromMilliseconds(300)));
        Assert.True(appliance.HasExited);
    }

    [Fact]
    public void AnEarlyExitFailsWithTheCapturedStderr()
    {
        using var scratch = new ScratchDirectory();
        var fake = FakeAppliance(scratch, """
            echo "appliance.cfg:2: section 'global': keyword 'nbthread': boom" >&2
            exit 3
            """);

        using var appliance = ApplianceProcess.Launch(scratch, MinimalConfig, output, fake);
        var failure = Assert.Throws<FailException>(() => appliance.WaitUntilReady(TimeSpan.FromSeconds(10)));

        Assert.Contains("exited with 3", failure.Message);
        Assert.Contains("keyword 'nbthread': boom", failure.Message);
        Assert.Equal(StartOutcome.Exited, appliance.WaitForReadyOrExit(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void ASilentProcessTimesOutAndIsKilledOnDispose()
    {
        using var scratch = new ScratchDirectory();
        var fake = FakeAppliance(scratch, "while :; do sleep 0.05; done");

        var appliance = ApplianceProcess.Launch(scratch, MinimalConfig, output, fake);
        Assert.Equal(StartOutcome.TimedOut, appliance.WaitForReadyOrExit(TimeSpan.FromMilliseconds(300)));
        var failure = Assert.Throws<FailException>(() => appliance.WaitUntilReady(TimeSpan.FromMilliseconds(100)));
        appliance.Dispose();

        Assert.Contains("not ready", failure.Message);
        Assert.True(appliance.HasExited);
    }

    [Fact]
    public void BinariesAreFoundInTheBuildOutput()
    {
        Assert.True(File.Exists(TestBinaries.Appliance.FileName) || TestBinaries.Appliance.FileName.EndsWith("dotnet"),
            TestBinaries.Appliance.ToString());
        Assert.True(File.Exists(Path.Combine(TestBinaries.RepositoryRoot, "Appliance.sln")));
        output.WriteLine($"appliance: {TestBinaries.Appliance}\ntest backend: {TestBinaries.TestBackend}");
    }

    [Fact]
    public void ConnectingToAPortWithoutListenerIsRefusedAtOnce()
    {
        var refused = Assert.Throws<System.Net.Sockets.SocketException>(() => LoopbackConnection.Open(FreePort.Next()));

        Assert.Equal(System.Net.Sockets.SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.Null(BackendNameProbe.TryFetch(FreePort.Next()));
    }

    [Fact]
    public void FreePortIsBindableAndConfigLinesAreOneBased()
    {
        int port = FreePort.Next();
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port))
        {
            listener.Start();
        }

        Assert.Equal(2, ConfigLines.NumberOf("global\n    nbthread 1\n", "nbthread"));
        Assert.Throws<ArgumentException>(() => ConfigLines.NumberOf("a\na\n", "a"));
    }

    private static LaunchCommand FakeAppliance(ScratchDirectory scratch, string body)
    {
        var path = scratch.WriteFile("fake-appliance.sh", "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new LaunchCommand(path, []);
    }
}
