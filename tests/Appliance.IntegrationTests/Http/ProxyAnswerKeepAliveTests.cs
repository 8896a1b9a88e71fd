namespace Appliance.IntegrationTests.Http;

/// <summary>
/// The proxy's own answers on a kept connection. Contract (HAProxy 2.2 on, checked against HAProxy 2.6): a
/// request the proxy answers itself — deny, return, redirect, 503 without a server, 502 for a server's invalid
/// answer — leaves the client connection open for the next request when the request was whole (head and body)
/// when answered and the client keeps alive. Such an answer carries no <c>Connection: close</c> (an HTTP/1.0
/// client that asked for keep-alive gets <c>Connection: keep-alive</c>), and requests pipelined behind it are
/// served in order. When part of the body is still to come, the answer says <c>Connection: close</c> and the
/// connection closes: the rest of the body is never read as a request.
/// </summary>
public sealed class ProxyAnswerKeepAliveTests(ITestOutputHelper output)
{
    private static string Config(int port, BackendProcess origin) => $$"""
        {{ConfigTemplates.Global(nbthread: 1)}}
        {{ConfigTemplates.HttpDefaults}}

        frontend fe
            bind 127.0.0.1:{{port}}
            http-request deny if { path /deny }
            http-request return status 200 content-type text/plain string pong if { path /ret }
            http-request redirect location /elsewhere if { path /redir }
            use_backend empty if { path /none }
            default_backend be

        backend empty

        backend be
            retries 0
            server app1 {{origin.Address}}
        """;

    [Fact]
    public void EachKindOfAnswerKeepsTheConnectionForTheNextRequest()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, origin), output);
        using var connection = LoopbackConnection.Open(port);

        // One at a time on one connection: each answer must come back on it, and the next request too.
        (string Target, int Status)[] exchanges = [("/deny", 403), ("/ret", 200), ("/redir", 302), ("/none", 503), ("/garbage", 502), ("/p/1", 200)];
        foreach (var (target, status) in exchanges)
        {
            connection.SendText(HttpRequests.Get(target));
            HttpResponse response = HttpResponse.Read(connection);
            Assert.True(status == response.Status, $"{target}: {response}");
            Assert.False(response.HasConnectionOption("close"), $"{target}: {response}");
        }
        Assert.Equal("pong", Answered(connection, "/ret").BodyText);

        connection.SendText(HttpRequests.Get("/p/2", close: true));
        HttpResponse last = HttpResponse.Read(connection);
        Assert.Equal("/p/2", last.Header("X-Request-Target"));
        Assert.True(last.HasConnectionOption("close"), last.ToString());
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long extra));
        Assert.Equal(0, extra);
        // The answered requests never reached the server; the 502's did (its answer was not HTTP).
        Assert.Equal(["/garbage", "/p/1", "/p/2"], origin.ReadRecord().Requests.Select(r => r.Target));
    }

    [Fact]
    public void RequestsPipelinedBehindAnswersAreServedInOrder()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, origin), output);
        using var connection = LoopbackConnection.Open(port);

        // Bodies (a known length and a chunked one) whole in the buffer are skipped with their request; a HEAD
        // answer has no body, so the response after it starts right behind its head.
        connection.SendText(
            HttpRequests.Get("/deny")
            + HttpRequests.Post("/deny", "GET /hidden HTTP/1.1\r\nHost: a\r\n\r\n")
            + HttpRequests.Head("POST", "/deny", fields: ["Transfer-Encoding: chunked"]) + "5\r\nhello\r\n0\r\n\r\n"
            + HttpRequests.Head("HEAD", "/ret")
            + HttpRequests.Get("/p/3", close: true));

        Assert.Equal(403, HttpResponse.Read(connection).Status);
        Assert.Equal(403, HttpResponse.Read(connection).Status);
        Assert.Equal(403, HttpResponse.Read(connection).Status);
        HttpResponse head = HttpResponse.Read(connection, headRequest: true);
        Assert.Equal((200, "4"), (head.Status, head.Header("content-length")));
        HttpResponse last = HttpResponse.Read(connection);
        Assert.Equal((200, "/p/3"), (last.Status, last.Header("X-Request-Target")));
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long extra));
        Assert.Equal(0, extra);
        Assert.Equal(["/p/3"], origin.ReadRecord().Requests.Select(r => r.Target));
    }

    [Fact]
    public void AnAnswerBeforeTheWholeBodyArrivedClosesAndTheRestIsNeverRead()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, origin), output);
        using var connection = LoopbackConnection.Open(port);
        const string smuggled = "GET /smuggled HTTP/1.1\r\nHost: appliance.test\r\n\r\n";
        string body = "0123456789" + smuggled;

        connection.SendText(HttpRequests.Head("POST", "/deny", fields: [$"Content-Length: {body.Length}"]) + body[..10]);
        HttpResponse denied = HttpResponse.Read(connection);
        Assert.Equal(403, denied.Status);
        Assert.True(denied.HasConnectionOption("close"), denied.ToString());
        // The rest of the body, which looks like a request, arrives after the answer (read above): it must not be served.
        try
        {
            connection.SendText(body[10..]);
        }
        catch (System.Net.Sockets.SocketException)
        {
            // Already closed: nothing was read.
        }
        connection.ReadUntilClosed(out long extra);
        Assert.Equal(0, extra);

        using (var sentinel = LoopbackConnection.Open(port))
        {
            sentinel.SendText(HttpRequests.Get("/sentinel", close: true));
            Assert.Equal(200, HttpResponse.Read(sentinel).Status);
        }
        Assert.Equal(["/sentinel"], origin.ReadRecord().Requests.Select(r => r.Target));
    }

    [Fact]
    public void AnHttp10ClientAskingForKeepAliveIsToldSo()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, origin), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText("GET /deny HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        HttpResponse denied = HttpResponse.Read(connection);
        Assert.Equal(403, denied.Status);
        Assert.True(denied.HasConnectionOption("keep-alive"), denied.ToString());
        Assert.Equal(403, Answered(connection, "/deny").Status);

        // Without the option, an HTTP/1.0 client is answered and the connection closes.
        using var plain = LoopbackConnection.Open(port);
        plain.SendText("GET /deny HTTP/1.0\r\n\r\n");
        HttpResponse closing = HttpResponse.Read(plain);
        Assert.True(closing.HasConnectionOption("close"), closing.ToString());
        Assert.Equal(CloseOutcome.EndOfStream, plain.ReadUntilClosed(out _));
    }

    private static HttpResponse Answered(LoopbackConnection connection, string target)
    {
        connection.SendText(HttpRequests.Get(target));
        return HttpResponse.Read(connection);
    }
}
