using System.Diagnostics;

namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// 100 MiB through <c>mode tcp</c> in each direction arrives byte-exact (same SHA-256). Client to server ends with
/// the client's half-close, which the <c>sha</c> backend needs before it answers; server to client ends with
/// the <c>source</c> backend's close.
/// </summary>
public sealed class TransferTests(ITestOutputHelper output)
{
    private const long Length = 100L * 1024 * 1024;

    [Fact]
    public void HundredMiBFromClientToServerArriveIntact()
    {
        using var scratch = new ScratchDirectory();
        using var sink = BackendProcess.Start(BackendMode.Sha, "sink");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, sink), output);
        var expected = $"{Length} {DeterministicByteStream.Sha256Hex(Length)}";
        var clock = Stopwatch.StartNew();

        using var connection = LoopbackConnection.Open(port);
        connection.SendDeterministicStream(Length);
        connection.ShutdownSend();
        var answer = connection.ReadLine();

        Report(clock);
        Assert.Equal(expected, answer);
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long trailing));
        Assert.Equal(0, trailing);
    }

    [Fact]
    public void HundredMiBFromServerToClientArriveIntact()
    {
        using var scratch = new ScratchDirectory();
        using var source = BackendProcess.Start(BackendMode.Source, "source");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, source), output);
        var expected = DeterministicByteStream.Sha256Hex(Length);
        var clock = Stopwatch.StartNew();

        using var connection = LoopbackConnection.Open(port);
        connection.SendText($"{Length}\n");
        var (count, sha) = connection.ReadToEndHashed();

        Report(clock);
        Assert.Equal(Length, count);
        Assert.Equal(expected, sha);
    }

    private void Report(Stopwatch clock) =>
        output.WriteLine($"100 MiB through the proxy in {clock.ElapsedMilliseconds} ms " +
                         $"({Length / 1048576.0 / clock.Elapsed.TotalSeconds:0} MiB/s, hashing included)");
}
