using System.Diagnostics;

namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// 1,000 connections that end every way a connection can end (clean close, client RST mid-transfer, server RST
/// mid-stream, server killed mid-stream) leave no descriptor behind. The baseline is taken after a warm-up of the
/// same shape, so pools an engine keeps on purpose (pipes for splice, buffers) are in it; only growth that
/// stays is a leak.
/// </summary>
public sealed class FileDescriptorLeakTests(ITestOutputHelper output)
{
    private const int Parallelism = 8;
    private const int KilledDownloads = 10;
    private const int FileDescriptorTolerance = 2;
    private const int EchoPayload = 4 * 1024;
    private const int AbortedPayload = 64 * 1024;
    private const int ResetLength = 256 * 1024;

    [Fact]
    public void ThousandConnectionsEndingEveryWayLeaveNoDescriptorBehind()
    {
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(BackendMode.Echo, "echo");
        using var reset = BackendProcess.Start(BackendMode.Reset, "reset");
        using var source = BackendProcess.Start(BackendMode.Source, "source");
        int echoPort = FreePort.Next();
        int resetPort = FreePort.Next();
        int sourcePort = FreePort.Next();
        var config = $"""
            {ConfigTemplates.Global(nbthread: 2, scratch.StatsSocketPath)}
            {ConfigTemplates.TcpDefaults}

            frontend fe_echo
                bind 127.0.0.1:{echoPort}
                default_backend be_echo

            frontend fe_reset
                bind 127.0.0.1:{resetPort}
                default_backend be_reset

            frontend fe_source
                bind 127.0.0.1:{sourcePort}
                default_backend be_source

            backend be_echo
                server echo {echo.Address}

            backend be_reset
                server reset {reset.Address}

            backend be_source
                server source {source.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        var runtimeApi = new RuntimeApiClient(scratch.StatsSocketPath);
        int afterStart = proxy.OpenFileDescriptorCount();

        // Warm-up: same mix and concurrency, plus as many simultaneous downloads as the kill phase will hold.
        RunMix(100, echoPort, resetPort);
        Parallel.For(0, KilledDownloads, new ParallelOptions { MaxDegreeOfParallelism = KilledDownloads }, _ =>
        {
            using var connection = LoopbackConnection.Open(sourcePort);
            connection.SendText($"{4 * 1024 * 1024}\n");
            connection.ReadUntilClosed(out _);
        });
        int baseline = SettledCount(proxy, runtimeApi);
        output.WriteLine($"fds: {afterStart} after start, {baseline} after warm-up");

        var clock = Stopwatch.StartNew();
        RunMix(1000 - KilledDownloads, echoPort, resetPort);
        KillSourceDuringDownloads(source, sourcePort);
        output.WriteLine($"1000 connections in {clock.ElapsedMilliseconds} ms; fds now {proxy.OpenFileDescriptorCount()}");

        int final = Eventually.Value(
            proxy.OpenFileDescriptorCount,
            count => count <= baseline + FileDescriptorTolerance,
            TimeSpan.FromSeconds(10),
            $"open descriptors return to the baseline {baseline} (± {FileDescriptorTolerance})");
        output.WriteLine($"fds settled at {final}");
    }

    /// <summary>
    /// Of every 10 connections: 6 echo cleanly, 2 send 64 KiB to echo and abort with a RST without reading,
    /// 2 ask the reset backend for 256 KiB and get a RST after it.
    /// </summary>
    private static void RunMix(int connections, int echoPort, int resetPort)
    {
        var payload = DeterministicByteStream.Generate(AbortedPayload);
        Parallel.For(0, connections, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, i =>
        {
            switch (i % 10)
            {
                case < 6:
                {
                    using var connection = LoopbackConnection.Open(echoPort);
                    connection.Send(payload.AsSpan(0, EchoPayload));
                    Assert.True(payload.AsSpan(0, EchoPayload).SequenceEqual(connection.ReadExactly(EchoPayload)), "echo differs");
                    break;
                }

                case < 8:
                {
                    using var connection = LoopbackConnection.Open(echoPort);
                    connection.Send(payload);
                    connection.Abort();
                    break;
                }

                default:
                {
                    using var connection = LoopbackConnection.Open(resetPort);
                    connection.SendText($"{ResetLength}\n");
                    connection.ReadUntilClosed(out _);
                    break;
                }
            }
        });
    }

    /// <summary>Downloads in flight when the source backend is SIGKILLed; each client must see its end.</summary>
    private static void KillSourceDuringDownloads(BackendProcess source, int sourcePort)
    {
        var downloads = new List<LoopbackConnection>();
        try
        {
            for (int i = 0; i < KilledDownloads; i++)
            {
                var connection = LoopbackConnection.Open(sourcePort);
                downloads.Add(connection);
                connection.SendText($"{1L << 40}\n");
                connection.ReadExactly(64 * 1024);
            }

            source.Kill();
            Parallel.ForEach(downloads, connection => connection.ReadUntilClosed(out _));
        }
        finally
        {
            downloads.ForEach(connection => connection.Dispose());
            source.Restart();
        }
    }

    /// <summary>The descriptor count once the proxy has no client connection and the count held still for 200 ms.</summary>
    private static int SettledCount(ApplianceProcess proxy, RuntimeApiClient runtimeApi)
    {
        // Whether the runtime API's own connection counts in CurrConns is left to the engine.
        Eventually.True(() => runtimeApi.ShowInfo().GetInt64("CurrConns") <= 1, TimeSpan.FromSeconds(10),
            "all warm-up connections closed (CurrConns <= 1)");
        int previous = -1;
        int sameInARow = 0;
        return Eventually.Value(
            () =>
            {
                int count = proxy.OpenFileDescriptorCount();
                sameInARow = count == previous ? sameInARow + 1 : 0;
                previous = count;
                return count;
            },
            _ => sameInARow >= 4,
            TimeSpan.FromSeconds(10),
            "the descriptor count holds still",
            pollInterval: TimeSpan.FromMilliseconds(50));
    }
}
