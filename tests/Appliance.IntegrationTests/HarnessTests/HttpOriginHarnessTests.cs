using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.IntegrationTests.HarnessTests;

/// <summary>
/// The http-mode TestBackend as a scriptable origin, talked to directly (no proxy), together with the harness
/// pieces that read it (<see cref="HttpResponse"/>, <see cref="OriginRecord"/>, <see cref="OriginStats"/>,
/// <see cref="ChunkedBodyWriter"/>). Every HTTP proxy test leans on these behaving exactly as described.
/// </summary>
public sealed class HttpOriginHarnessTests
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public void AnyOtherPathAnswersTheNameAndIsRecordedBeforeTheAnswer()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Get("/orders/42?x=1", fields: "X-Tenant: gold"));
        var response = HttpResponse.Read(connection);

        Assert.Equal(200, response.Status);
        Assert.Equal("app1", response.BodyText);
        Assert.Equal("app1", response.Header("X-Backend"));
        Assert.Equal("/orders/42?x=1", response.Header("X-Request-Target"));
        Assert.Equal("1", response.Header("X-Backend-Connection"));
        // No polling: the line is flushed before the response is sent.
        var record = origin.ReadRecord();
        var request = Assert.Single(record.Requests);
        Assert.Equal(("GET", "/orders/42?x=1", "HTTP/1.1"), (request.Method, request.Target, request.Version));
        Assert.Equal("GET /orders/42?x=1 HTTP/1.1", request.RequestLine);
        Assert.Equal("gold", request.Header("x-tenant"));
        Assert.Equal(HttpRequests.DefaultHost, request.Header("Host"));
        Assert.Equal(("none", 0L), (request.Framing, request.BodyLength));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), request.BodySha256);
        Assert.Equal([OriginEvent.Accepted, OriginEvent.Head, OriginEvent.Request], record.Events.Select(e => e.Kind));
        Assert.All(record.Events, e => Assert.Equal(1, e.Connection));
    }

    [Fact]
    public void PipelinedRequestsAreAnsweredInOrderOnOneKeptAliveConnection()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);
        string[] targets = ["/slow/150", "/a", "/sha", "/bytes/5", "/b"];

        connection.SendText(string.Concat(targets.Select(target => target == "/sha"
            ? HttpRequests.Post(target, "hello")
            : HttpRequests.Get(target))));
        var responses = targets.Select(_ => HttpResponse.Read(connection)).ToArray();

        Assert.Equal(targets, responses.Select(r => r.Header("X-Request-Target")));
        Assert.All(responses, r => Assert.Equal("1", r.Header("X-Backend-Connection")));
        Assert.Equal($"5 {Convert.ToHexStringLower(SHA256.HashData("hello"u8))}", responses[2].BodyText);
        var record = origin.ReadRecord();
        Assert.Equal(targets, record.Requests.Select(r => r.Target));
        Assert.Equal([1, 2, 3, 4, 5], record.Requests.Select(r => r.Seq));
        Assert.Equal(1, record.ConnectionsCarryingRequests);
        // Counted: this connection and the one asking.
        Assert.Equal(new OriginStats(2, 5), OriginStats.Fetch(origin.Port));
        Assert.Equal(5, origin.ReadRecord().Requests.Count);
    }

    [Fact]
    public async Task EchoStreamsContentLengthBodiesBackWithContentLength()
    {
        const int length = 3 * MiB + 5;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Head("POST", "/echo", fields: $"Content-Length: {length}"));
        // The echo streams while the body is still arriving: send and receive at once.
        var sending = Task.Run(() => connection.SendDeterministicStream(length));
        var response = HttpResponse.Read(connection, keepBody: false);
        await sending;

        Assert.Equal(200, response.Status);
        Assert.Equal(length.ToString(), response.Header("Content-Length"));
        Assert.Equal((length, DeterministicByteStream.Sha256Hex(length)), (response.BodyLength, response.BodySha256));
        var request = Assert.Single(origin.ReadRecord().Requests);
        Assert.Equal(("length", (long)length, DeterministicByteStream.Sha256Hex(length)), (request.Framing, request.BodyLength, request.BodySha256));
    }

    [Fact]
    public void EchoAnswersAChunkedBodyChunkedAndShaDecodesIt()
    {
        const int length = 2 * MiB + 11;
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        // Small enough for the socket buffers, so sending first and reading after cannot deadlock.
        connection.SendText(HttpRequests.Head("POST", "/echo", fields: "Transfer-Encoding: chunked"));
        ChunkedBodyWriter.SendDeterministicStream(connection, 200_000);
        var echoed = HttpResponse.Read(connection, keepBody: false);
        connection.SendText(HttpRequests.Head("POST", "/sha", fields: "Transfer-Encoding: chunked"));
        ChunkedBodyWriter.SendDeterministicStream(connection, length);
        var digest = HttpResponse.Read(connection);

        Assert.True(echoed.ChunkedBody, echoed.ToString());
        Assert.Equal((200_000L, DeterministicByteStream.Sha256Hex(200_000)), (echoed.BodyLength, echoed.BodySha256));
        Assert.Equal($"{length} {DeterministicByteStream.Sha256Hex(length)}", digest.BodyText);
        var requests = origin.ReadRecord().Requests;
        Assert.Equal(["chunked", "chunked"], requests.Select(r => r.Framing));
        Assert.Equal([200_000L, length], requests.Select(r => r.BodyLength));
    }

    [Fact]
    public void BytesAndChunkedSendTheDeterministicStream()
    {
        const long length = 3L * MiB + 1;
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Get($"/bytes/{length}"));
        var plain = HttpResponse.Read(connection, keepBody: false);
        connection.SendText(HttpRequests.Get($"/chunked/{length}"));
        var chunked = HttpResponse.Read(connection, keepBody: false);
        connection.SendText(HttpRequests.Get("/chunked/0"));
        var empty = HttpResponse.Read(connection);

        Assert.False(plain.ChunkedBody);
        Assert.Equal(length.ToString(), plain.Header("Content-Length"));
        Assert.Equal((length, DeterministicByteStream.Sha256Hex(length)), (plain.BodyLength, plain.BodySha256));
        Assert.True(chunked.ChunkedBody);
        Assert.Equal((length, DeterministicByteStream.Sha256Hex(length)), (chunked.BodyLength, chunked.BodySha256));
        Assert.Equal((true, 0L), (empty.ChunkedBody, empty.BodyLength));
    }

    [Fact]
    public void ExpectContinueGetsAnInterimAnswerBeforeTheBodyIsSent()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Head("PUT", "/sha", fields: ["Content-Length: 5", "Expect: 100-continue"]));
        var interim = HttpResponse.Read(connection);
        connection.SendText("hello");
        var final = HttpResponse.Read(connection);

        Assert.Equal((100, true), (interim.Status, interim.IsInterim));
        Assert.Equal(200, final.Status);
        Assert.StartsWith("5 ", final.BodyText);
        Assert.True(Assert.Single(origin.ReadRecord().Requests).ContinueSent);
    }

    [Fact]
    public void StatusHeadAndBodilessAnswersKeepTheConnectionUsable()
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Get("/status/204") + HttpRequests.Get("/status/304") + HttpRequests.Get("/status/404")
                            + HttpRequests.Head("HEAD", "/bytes/1000") + HttpRequests.Get("/status/99") + HttpRequests.Get("/last"));
        var noContent = HttpResponse.Read(connection);
        var notModified = HttpResponse.Read(connection);
        var notFound = HttpResponse.Read(connection);
        var head = HttpResponse.Read(connection, headRequest: true);
        var outOfRange = HttpResponse.Read(connection);
        var last = HttpResponse.Read(connection);

        Assert.Equal((204, 0L, null), (noContent.Status, noContent.BodyLength, noContent.Header("Content-Length")));
        Assert.Equal((304, 0L), (notModified.Status, notModified.BodyLength));
        Assert.Equal((404, "status 404 from app1"), (notFound.Status, notFound.BodyText));
        Assert.Equal((200, "1000", 0L), (head.Status, head.Header("Content-Length"), head.BodyLength));
        Assert.Equal(400, outOfRange.Status);
        Assert.Equal(("/last", "app1"), (last.Header("X-Request-Target"), last.BodyText));
    }

    [Fact]
    public void CloseAndHttp10AnswerThenClose()
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        using var closing = LoopbackConnection.Open(origin.Port);
        using var old = LoopbackConnection.Open(origin.Port);
        using var asked = LoopbackConnection.Open(origin.Port);

        closing.SendText(HttpRequests.Get("/close"));
        old.SendText("GET /x HTTP/1.0\r\n\r\n");
        asked.SendText(HttpRequests.Get("/y", close: true));

        foreach (var connection in new[] { closing, old, asked })
        {
            var response = HttpResponse.Read(connection);
            Assert.Equal(200, response.Status);
            Assert.True(response.HasConnectionOption("close"), response.ToString());
            Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long trailing));
            Assert.Equal(0, trailing);
        }
    }

    [Fact]
    public void GarbageDropAndHangMisbehaveAsScripted()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var garbage = LoopbackConnection.Open(origin.Port);
        using var drop = LoopbackConnection.Open(origin.Port);
        using var hang = LoopbackConnection.Open(origin.Port);

        garbage.SendText(HttpRequests.Get("/garbage"));
        drop.SendText(HttpRequests.Post("/drop", "abc"));
        hang.SendText(HttpRequests.Get("/hang"));

        Assert.Equal("NOT-HTTP garbage from app1", garbage.ReadLine());
        using (var fake = LoopbackConnectionWith("NOT-HTTP garbage\r\n\r\n"))
        {
            Assert.Throws<FormatException>(() => HttpResponse.Read(fake));
        }

        Assert.Equal(CloseOutcome.EndOfStream, drop.ReadUntilClosed(out long dropped));
        Assert.Equal(0, dropped);
        // Silence can only be observed over some time; 300 ms bounds it and nothing waits on it.
        Assert.False(hang.Socket.Poll(TimeSpan.FromMilliseconds(300), SelectMode.SelectRead), "/hang answered or closed");
        Eventually.True(() => origin.ReadRecord().Requests.Count == 3, TimeSpan.FromSeconds(5), "three requests recorded");
        Assert.Equal(["/drop", "/garbage", "/hang"], origin.ReadRecord().Requests.Select(r => r.Target).Order());
    }

    [Fact]
    public void WebSocketUpgradeSwitchesToARawEchoTunnel()
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);
        const string key = "dGhlIHNhbXBsZSBub25jZQ==";

        connection.SendText(HttpRequests.Get("/ws", fields: ["Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]));
        var switching = HttpResponse.Read(connection);
        var payload = DeterministicByteStream.Generate(100_000);
        connection.Send(payload);
        var echoed = connection.ReadExactly(payload.Length);
        connection.ShutdownSend();

        Assert.Equal(101, switching.Status);
        Assert.Equal("websocket", switching.Header("Upgrade"));
        // The example of RFC 6455 section 1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", switching.Header("Sec-WebSocket-Accept"));
        Assert.Equal(payload, echoed);
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long trailing));
        Assert.Equal(0, trailing);
    }

    [Fact]
    public void HeadersAnswersTheFieldLinesAsReceived()
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Get("/headers", fields: ["X-Forwarded-For: 10.0.0.1", "x-lower:  padded "]));
        var response = HttpResponse.Read(connection);

        Assert.Equal($"Host: {HttpRequests.DefaultHost}\r\nX-Forwarded-For: 10.0.0.1\r\nx-lower:  padded \r\n", response.BodyText);
    }

    [Fact]
    public void AmbiguousFramingThatReachesTheOriginIsRecordedAsIncompleteAndRefused()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText("POST /sha HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
        var response = HttpResponse.Read(connection);

        Assert.Equal(400, response.Status);
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out _));
        var incomplete = Assert.Single(origin.ReadRecord().Events, e => e.Kind == OriginEvent.Incomplete);
        Assert.Contains("both Content-Length and Transfer-Encoding", incomplete.Reason);
        Assert.Empty(origin.ReadRecord().Requests);
    }

    [Fact]
    public void ABadChunkIsRecordedAsIncompleteAfterItsHead()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Head("POST", "/sha", fields: "Transfer-Encoding: chunked") + "zz\r\nhello\r\n0\r\n\r\n");
        var response = HttpResponse.Read(connection);

        Assert.Equal(400, response.Status);
        var record = origin.ReadRecord();
        Assert.Equal([OriginEvent.Accepted, OriginEvent.Head, OriginEvent.Incomplete],
            record.Events.Where(e => e.Kind != OriginEvent.Closed).Select(e => e.Kind));
        Assert.Contains("bad chunk size", record.Events[2].Reason);
        Assert.Empty(record.Requests);
    }

    [Fact]
    public void AHeadThatNeverCompletesLeavesADataEventAtOnce()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        // HTTP/0.9: a request line and nothing else; the origin keeps waiting for the end of the head.
        connection.SendText("GET /\r\n");

        var data = Eventually.Value(
            () => origin.ReadRecord().Events.FirstOrDefault(e => e.Kind == OriginEvent.Data),
            e => e is not null, TimeSpan.FromSeconds(5), "a data event for the partial head")!;
        Assert.Equal((1L, 1, 7L), (data.Connection, data.Seq, data.Bytes));
        connection.ShutdownSend();
        Eventually.True(() => origin.ReadRecord().Events.Any(e => e.Kind == OriginEvent.Closed), TimeSpan.FromSeconds(5), "closed event");
        var record = origin.ReadRecord();
        Assert.Equal("eof in head", Assert.Single(record.Events, e => e.Kind == OriginEvent.Incomplete).Reason);
        Assert.Equal(("eof", 7L), (record.Events[^1].How, record.Events[^1].BytesReceived));
    }

    [Fact]
    public void RequestActivityExceptTheSentinelSeesEveryOtherRequest()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using (var sentinel = LoopbackConnection.Open(origin.Port))
        {
            sentinel.SendText(HttpRequests.Get("/sentinel"));
            HttpResponse.Read(sentinel);
        }

        Assert.Empty(origin.ReadRecord().RequestActivityExcept("/sentinel"));

        using var other = LoopbackConnection.Open(origin.Port);
        other.SendText(HttpRequests.Get("/other"));
        HttpResponse.Read(other);

        Assert.Equal([OriginEvent.Head, OriginEvent.Request],
            origin.ReadRecord().RequestActivityExcept("/sentinel").Select(e => e.Kind));
    }

    [Fact]
    public void ATooLargeHeadIsRecordedAndAnswered431()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        using var connection = LoopbackConnection.Open(origin.Port);

        connection.SendText(HttpRequests.Get("/", fields: "X-Big: " + new string('a', 70 * 1024)));
        var response = HttpResponse.Read(connection);

        Assert.Equal(431, response.Status);
        Assert.Contains(origin.ReadRecord().Events, e => e.Kind == OriginEvent.Incomplete && e.Reason!.Contains("head larger"));
    }

    private static LoopbackConnection LoopbackConnectionWith(string bytes)
    {
        // A one-shot local server that sends the bytes and closes, to feed HttpResponse.Read directly.
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var client = LoopbackConnection.Open(port);
        using (var served = listener.AcceptSocket())
        {
            served.Send(Encoding.ASCII.GetBytes(bytes));
            served.Shutdown(SocketShutdown.Both);
        }

        listener.Stop();
        return client;
    }
}
