namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Request and response bodies through the proxy, checked by length and SHA-256 at the far end. Contract: the
/// decoded body arrives intact whatever the framing (Content-Length or chunked, with chunk sizes from 1 byte to
/// larger than a proxy buffer); how the proxy frames what it forwards is its choice (HAProxy keeps chunked
/// chunked), so only the decoded bytes are compared. 50 MiB each way bounds buffering: a proxy that held a whole
/// body in memory, or stalled on one, fails on time.
/// </summary>
public sealed class BodyTransferTests(ITestOutputHelper output)
{
    private const long MiB = 1024 * 1024;
    private const long Large = 50 * MiB;

    [Fact]
    public void AChunkedRequestBodyReachesTheOriginIntact()
    {
        const long length = 3 * MiB + 17;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Head("POST", "/sha", fields: "Transfer-Encoding: chunked"));
        ChunkedBodyWriter.SendDeterministicStream(connection, length);
        var response = HttpResponse.Read(connection);

        Assert.Equal($"{length} {DeterministicByteStream.Sha256Hex(length)}", response.BodyText);
        var request = Assert.Single(origin.ReadRecord().Requests);
        Assert.Equal((length, DeterministicByteStream.Sha256Hex(length)), (request.BodyLength, request.BodySha256));
    }

    [Fact]
    public void AChunkedResponseBodyReachesTheClientIntactAndTheConnectionStaysUsable()
    {
        const long length = 3 * MiB + 17;
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var scratch = new ScratchDirectory();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get($"/chunked/{length}") + HttpRequests.Get("/chunked/0") + HttpRequests.Get("/after"));
        var large = HttpResponse.Read(connection, keepBody: false);
        var empty = HttpResponse.Read(connection);
        var after = HttpResponse.Read(connection);

        Assert.Equal((length, DeterministicByteStream.Sha256Hex(length)), (large.BodyLength, large.BodySha256));
        Assert.Equal((200, 0L), (empty.Status, empty.BodyLength));
        Assert.Equal(("/after", "app1"), (after.Header("X-Request-Target"), after.BodyText));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EchoReturnsTheBodyWithTheRequestsFraming(bool chunked)
    {
        const long length = 1 * MiB + 3;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Head("POST", "/echo", fields: chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {length}"));
        // The origin echoes while the body is still arriving: send and receive at once.
        var sending = Task.Run(() =>
        {
            if (chunked)
            {
                ChunkedBodyWriter.SendDeterministicStream(connection, length);
            }
            else
            {
                connection.SendDeterministicStream(length);
            }
        });
        var response = HttpResponse.Read(connection, keepBody: false);
        await sending;

        Assert.Equal(200, response.Status);
        Assert.Equal((length, DeterministicByteStream.Sha256Hex(length)), (response.BodyLength, response.BodySha256));
        Assert.Equal(chunked ? "chunked" : "length", Assert.Single(origin.ReadRecord().Requests).Framing);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public void FiftyMebibytesArriveIntact(bool upload, bool chunked)
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var scratch = new ScratchDirectory();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin], nbthread: 2), output);
        using var connection = LoopbackConnection.Open(port);
        var expected = DeterministicByteStream.Sha256Hex(Large);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        if (upload)
        {
            connection.SendText(HttpRequests.Head("POST", "/sha", fields: chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {Large}"));
            if (chunked)
            {
                ChunkedBodyWriter.SendDeterministicStream(connection, Large);
            }
            else
            {
                connection.SendDeterministicStream(Large);
            }

            Assert.Equal($"{Large} {expected}", HttpResponse.Read(connection).BodyText);
        }
        else
        {
            connection.SendText(HttpRequests.Get(chunked ? $"/chunked/{Large}" : $"/bytes/{Large}"));
            var response = HttpResponse.Read(connection, keepBody: false);
            Assert.Equal(200, response.Status);
            Assert.Equal((Large, expected), (response.BodyLength, response.BodySha256));
        }

        output.WriteLine($"{(upload ? "upload" : "download")} {(chunked ? "chunked" : "with Content-Length")}: 50 MiB in {clock.Elapsed.TotalMilliseconds:0} ms");
        // Still a working keep-alive connection afterwards.
        connection.SendText(HttpRequests.Get("/after"));
        Assert.Equal("app1", HttpResponse.Read(connection).BodyText);
    }
}
