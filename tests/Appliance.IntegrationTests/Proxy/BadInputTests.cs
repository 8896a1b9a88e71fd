using System.Net;
using System.Net.Sockets;

namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// Refusals are precise. FILE in <c>FILE:LINE</c> is the <c>-f</c> argument as given (the tests pass an
/// absolute path). A bind failure names the bind line and the OS error on one stderr line; <c>check</c>
/// reports every error at once as <c>FILE:LINE: section 'NAME': keyword 'KW': message</c>.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output)
{
    [Fact]
    public void BindOnAPortInUseExitsNonZeroNamingTheBindLineAndTheOsError()
    {
        using var scratch = new ScratchDirectory();
        using var backend = BackendProcess.Start(BackendMode.Name, "app1");
        // Holds the port without SO_REUSEPORT, so no SO_REUSEPORT listener of the proxy can join it.
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        int takenPort = ((IPEndPoint)occupant.LocalEndPoint!).Port;
        var config = ConfigTemplates.TcpPassThrough(takenPort, backend, nbthread: 2);
        int bindLine = ConfigLines.NumberOf(config, "bind 127.0.0.1:");

        using var proxy = ApplianceProcess.Launch(scratch, config, output);
        var outcome = proxy.WaitForReadyOrExit(ApplianceProcess.DefaultReadyTimeout);

        Assert.True(outcome == StartOutcome.Exited, $"expected a refusal, got {outcome}.\n{proxy.Diagnostics()}");
        Assert.NotEqual(0, proxy.ExitCode);
        var location = $"{proxy.ConfigPath}:{bindLine}";
        Assert.True(
            proxy.Stderr.Snapshot().Any(line => line.Contains(location, StringComparison.Ordinal)
                                                && line.Contains("Address already in use", StringComparison.Ordinal)),
            $"no stderr line with both '{location}' and 'Address already in use'.\n{proxy.Diagnostics()}");
    }

    [Fact]
    public void CheckReportsBothErrorsWithFileAndLine()
    {
        using var scratch = new ScratchDirectory();
        const string config = """
            global
                nbthread 1

            defaults
                mode tcp
                timeout connect 1s
                timeout client 30s
                timeout server 30s

            frontend fe
                bind 127.0.0.1:8080
                default_backend be

            backend be
                balance roundrobbin
                server app1 127.0.0.1:99999
            """;
        var path = ApplianceProcess.WriteConfig(scratch, config);
        var balanceError = $"{path}:{ConfigLines.NumberOf(config, "roundrobbin")}: section 'be': keyword 'balance': ";
        var serverError = $"{path}:{ConfigLines.NumberOf(config, "99999")}: section 'be': keyword 'server': ";

        var result = ApplianceCli.Check(path);

        output.WriteLine(result.ToString());
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(result.AllLines.Any(line => line.StartsWith(balanceError, StringComparison.Ordinal)),
            $"no line starting with \"{balanceError}\"\n{result}");
        Assert.True(result.AllLines.Any(line => line.StartsWith(serverError, StringComparison.Ordinal)),
            $"no line starting with \"{serverError}\"\n{result}");
    }

    [Fact]
    public void CheckAcceptsAValidFile()
    {
        using var scratch = new ScratchDirectory();
        using var backend = BackendProcess.Start(BackendMode.Name, "app1");
        var path = ApplianceProcess.WriteConfig(scratch, ConfigTemplates.TcpPassThrough(FreePort.Next(), backend));

        var result = ApplianceCli.Check(path);

        Assert.True(result.ExitCode == 0, result.ToString());
    }
}
