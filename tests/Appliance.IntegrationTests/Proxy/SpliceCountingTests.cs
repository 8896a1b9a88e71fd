using System.Diagnostics;

namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// <c>show info</c> <c>SplicedBytes</c> counts bytes moved with splice(2), both directions summed. After a
/// 10 MiB echo (10 MiB each way) it must have grown by about 20 MiB. DESIGN.md lets the engine move the first
/// bytes of a direction with recv/send before switching to splice (one 16 KiB read), so up to
/// <see cref="CopiedBeforeSplicePerDirection"/> per direction may be missing from the count.
/// </summary>
public sealed class SpliceCountingTests(ITestOutputHelper output)
{
    private const int Length = 10 * 1024 * 1024;
    private const long CopiedBeforeSplicePerDirection = 256 * 1024;

    [Fact]
    public async Task SplicedBytesGrowByTheBytesTransferredInBothDirections()
    {
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(BackendMode.Echo, "echo");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(
            scratch, ConfigTemplates.TcpPassThrough(port, echo, statsSocketPath: scratch.StatsSocketPath), output);
        var runtimeApi = new RuntimeApiClient(scratch.StatsSocketPath);
        long before = runtimeApi.ShowInfo().GetInt64("SplicedBytes");

        using (var connection = LoopbackConnection.Open(port))
        {
            var sending = Task.Run(() =>
            {
                connection.SendDeterministicStream(Length);
                connection.ShutdownSend();
            });
            Assert.Equal((Length, DeterministicByteStream.Sha256Hex(Length)), connection.ReadToEndHashed());
            await sending;
        }

        const long transferred = 2L * Length;
        const long required = transferred - 2 * CopiedBeforeSplicePerDirection;
        // Counters may be published when a connection ends; poll rather than assume when.
        long after = Eventually.Value(
            () => runtimeApi.ShowInfo().GetInt64("SplicedBytes"),
            spliced => spliced - before >= required,
            TimeSpan.FromSeconds(10),
            $"SplicedBytes grows by at least {required} (transferred {transferred})");

        output.WriteLine($"SplicedBytes {before} -> {after} (+{after - before}) for {transferred} bytes transferred");
        Assert.True(after >= required, $"SplicedBytes {after} < {required}");
    }
}
