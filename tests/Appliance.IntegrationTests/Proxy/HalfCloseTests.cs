namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// A client's <c>shutdown(SHUT_WR)</c> travels to the server as a FIN while the server-to-client direction stays
/// open until the server closes it: the proxy must propagate half-closes, not turn them into a full close.
/// </summary>
public sealed class HalfCloseTests(ITestOutputHelper output)
{
    private const int Length = 1024 * 1024 + 11;

    [Fact]
    public void ClientHalfCloseStillReceivesTheWholeResponse()
    {
        using var scratch = new ScratchDirectory();
        using var sink = BackendProcess.Start(BackendMode.Sha, "sink");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, sink), output);

        using var connection = LoopbackConnection.Open(port);
        connection.SendDeterministicStream(Length);
        connection.ShutdownSend();

        // The sha backend answers only after it saw EOF, so this line proves the FIN went through and the
        // other direction stayed open.
        Assert.Equal($"{Length} {DeterministicByteStream.Sha256Hex(Length)}", connection.ReadLine());
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long trailing));
        Assert.Equal(0, trailing);
    }

    [Fact]
    public async Task EchoAfterClientHalfCloseIsCompleteAndThenEnds()
    {
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(BackendMode.Echo, "echo");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.TcpPassThrough(port, echo), output);

        using var connection = LoopbackConnection.Open(port);
        var sending = Task.Run(() =>
        {
            connection.SendDeterministicStream(Length);
            connection.ShutdownSend();
        });
        var (count, sha) = connection.ReadToEndHashed();
        await sending;

        Assert.Equal(Length, count);
        Assert.Equal(DeterministicByteStream.Sha256Hex(Length), sha);
    }
}
