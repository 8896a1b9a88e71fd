using System.Diagnostics;

namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// When the server side dies mid-stream (a RST from the <c>reset</c> backend, or the backend process killed),
/// the proxy closes the client side promptly: the client reads EOF or a reset, never waits for a timeout.
/// </summary>
public sealed class BackendResetTests(ITestOutputHelper output)
{
    /// <summary>"No hang beyond a few seconds": every client read fails the test if it blocks this long.</summary>
    private static readonly TimeSpan ClientPatience = TimeSpan.FromSeconds(5);

    [Fact]
    public void ServerResetMidStreamClosesTheClientSide()
    {
        const int length = 4 * 1024 * 1024;
        using var scratch = new ScratchDirectory();
        using var reset = BackendProcess.Start(BackendMode.Reset, "reset");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, reset), output);

        for (int attempt = 0; attempt < 3; attempt++)
        {
            var clock = Stopwatch.StartNew();
            using var connection = LoopbackConnection.Open(port, ClientPatience);
            connection.SendText($"{length}\n");

            var outcome = connection.ReadUntilClosed(out long received);

            output.WriteLine($"attempt {attempt}: {outcome} after {received} bytes, {clock.ElapsedMilliseconds} ms");
            Assert.InRange(received, 0, length);
        }
    }

    [Fact]
    public void ServerKilledMidStreamClosesTheClientSide()
    {
        const long requested = 1L << 40;
        using var scratch = new ScratchDirectory();
        using var source = BackendProcess.Start(BackendMode.Source, "source");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, source), output);

        using var connection = LoopbackConnection.Open(port, ClientPatience);
        connection.SendText($"{requested}\n");
        connection.ReadExactly(1024 * 1024);
        source.Kill();
        var clock = Stopwatch.StartNew();

        var outcome = connection.ReadUntilClosed(out long drained);

        output.WriteLine($"{outcome} {clock.ElapsedMilliseconds} ms after the kill, {drained} bytes still in flight");
        Assert.True(drained < requested);

        // The proxy survives it: the next connection to a restarted backend works.
        source.Restart();
        using var next = LoopbackConnection.Open(port, ClientPatience);
        next.SendText("1000\n");
        Assert.Equal((1000L, DeterministicByteStream.Sha256Hex(1000)), next.ReadToEndHashed());
    }
}
