using System.Diagnostics;
using System.Net.Sockets;

namespace Appliance.IntegrationTests.HarnessTests;

/// <summary>Every TestBackend mode, talked to directly (no proxy): these must pass before any proxy test means anything.</summary>
public sealed class TestBackendHarnessTests(ITestOutputHelper output)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void HttpModeAnswersEveryRequestWithItsNameOnConcurrentKeepAliveConnections()
    {
        using var backend = BackendProcess.Start(BackendMode.Http, "app1");
        using var first = LoopbackConnection.Open(backend.Port);
        using var second = LoopbackConnection.Open(backend.Port);

        // The second connection is served while the first one is open and idle.
        second.SendText(HttpReply.GetRequest());
        AssertNamed("app1", HttpReply.Read(second));

        // A body with Content-Length, pipelined with the next request, on the first connection.
        first.SendText("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" + HttpReply.GetRequest("/next"));
        AssertNamed("app1", HttpReply.Read(first));
        AssertNamed("app1", HttpReply.Read(first));

        second.SendText(HttpReply.GetRequest(close: true));
        AssertNamed("app1", HttpReply.Read(second));
        second.ShutdownSend();
        Assert.Equal(CloseOutcome.EndOfStream, second.ReadUntilClosed(out long trailing));
        Assert.Equal(0, trailing);
    }

    [Fact]
    public void NameModeAnnouncesItselfAndHoldsTheConnectionUntilThePeerCloses()
    {
        using var backend = BackendProcess.Start(BackendMode.Name, "app2");
        using var connection = LoopbackConnection.Open(backend.Port);

        Assert.Equal("app2", connection.ReadLine());
        // Absence of a close can only be observed over some time; 200 ms bounds it and nothing waits on it.
        Assert.False(connection.Socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead), "closed too early");
        connection.ShutdownSend();
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long trailing));
        Assert.Equal(0, trailing);
    }

    [Fact]
    public async Task EchoModeReturnsEveryByteAndClosesAfterTheClientHalfCloses()
    {
        const int length = 4 * MiB + 3;
        using var backend = BackendProcess.Start(BackendMode.Echo, "echo");
        using var connection = LoopbackConnection.Open(backend.Port);

        // Send and receive at once, or both socket buffers fill and the echo deadlocks.
        var sending = Task.Run(() =>
        {
            connection.SendDeterministicStream(length);
            connection.ShutdownSend();
        });
        var (count, sha) = connection.ReadToEndHashed();
        await sending;

        Assert.Equal(length, count);
        Assert.Equal(DeterministicByteStream.Sha256Hex(length), sha);
    }

    [Fact]
    public void ShaModeAnswersCountAndDigestAfterTheClientHalfCloses()
    {
        const int length = 3 * MiB + 7;
        using var backend = BackendProcess.Start(BackendMode.Sha, "sink");
        using var connection = LoopbackConnection.Open(backend.Port);

        connection.SendDeterministicStream(length);
        connection.ShutdownSend();

        Assert.Equal($"{length} {DeterministicByteStream.Sha256Hex(length)}", connection.ReadLine());
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long trailing));
        Assert.Equal(0, trailing);
    }

    [Fact]
    public void SourceModeSendsTheRequestedBytesOfTheSharedStream()
    {
        const long length = 10L * MiB + 3;
        using var backend = BackendProcess.Start(BackendMode.Source, "source");
        using var connection = LoopbackConnection.Open(backend.Port);

        connection.SendText($"{length}\n");

        Assert.Equal((length, DeterministicByteStream.Sha256Hex(length)), connection.ReadToEndHashed());
    }

    [Fact]
    public void SourceModeStreams100MiBFastEnoughNotToBeTheBottleneck()
    {
        const long length = 100L * MiB;
        using var backend = BackendProcess.Start(BackendMode.Source, "source");
        using var connection = LoopbackConnection.Open(backend.Port);
        var clock = Stopwatch.StartNew();

        connection.SendText($"{length}\n");
        var buffer = new byte[LoopbackConnection.BulkBufferBytes];
        long total = 0;
        int received;
        while ((received = connection.Receive(buffer)) > 0)
        {
            total += received;
        }

        clock.Stop();
        output.WriteLine($"100 MiB direct from source mode in {clock.Elapsed.TotalMilliseconds:0} ms " +
                         $"({length / (double)MiB / clock.Elapsed.TotalSeconds:0} MiB/s)");
        Assert.Equal(length, total);
        // Hundreds of MiB/s is normal; 10 s only catches a pathological regression on a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void ResetModeSendsAtMostTheRequestedBytesThenResets()
    {
        const int length = 1 * MiB;
        using var backend = BackendProcess.Start(BackendMode.Reset, "reset");
        using var connection = LoopbackConnection.Open(backend.Port);

        connection.SendText($"{length}\n");

        Assert.Equal(CloseOutcome.Reset, connection.ReadUntilClosed(out long received));
        Assert.InRange(received, 0, length);
    }

    [Fact]
    public void ExitsWhenItsStandardInputCloses()
    {
        using var backend = BackendProcess.Start(BackendMode.Name, "orphan");

        backend.CloseStandardInput();

        Assert.True(backend.WaitForExit(TimeSpan.FromSeconds(10)), "still running after stdin closed");
        Assert.Equal(0, backend.ExitCode);
    }

    [Fact]
    public void ExitsWithZeroOnSigterm()
    {
        using var backend = BackendProcess.Start(BackendMode.Echo, "echo");

        Assert.Equal(0, backend.Terminate(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void RestartListensOnTheSamePortAgain()
    {
        using var backend = BackendProcess.Start(BackendMode.Name, "phoenix");
        int port = backend.Port;
        // An established connection at kill time leaves kernel state behind on that port.
        using (var held = LoopbackConnection.Open(port))
        {
            Assert.Equal("phoenix", held.ReadLine());
            backend.Kill();
        }

        Assert.Null(BackendNameProbe.TryFetch(port));

        backend.Restart();

        Assert.Equal(port, backend.Port);
        Assert.Equal("phoenix", BackendNameProbe.Fetch(port));
    }

    private static void AssertNamed(string name, HttpReply reply)
    {
        Assert.Equal(200, reply.Status);
        Assert.Equal(name, reply.Body);
        Assert.Equal(name, reply.Headers["X-Backend"]);
    }
}
