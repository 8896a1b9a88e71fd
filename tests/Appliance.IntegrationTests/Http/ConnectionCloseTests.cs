namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Who closes when. Contract: a client's <c>Connection: close</c> is honoured (the proxy answers, then closes);
/// an HTTP/1.0 request without keep-alive is answered, then closed; a server that closes after its answer
/// (<c>/close</c>) does not end the client's kept-alive connection (HAProxy manages each side's persistence on
/// its own), so the next request on it is served.
/// </summary>
public sealed class ConnectionCloseTests(ITestOutputHelper output)
{
    [Fact]
    public void ConnectionCloseFromTheClientIsHonoured()
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var scratch = new ScratchDirectory();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get("/bye", close: true));
        var response = HttpResponse.Read(connection);

        Assert.Equal((200, "app1"), (response.Status, response.BodyText));
        HttpExchange.AssertClosedByPeer(connection, "after answering a request with Connection: close");
    }

    [Theory]
    [InlineData("GET /old HTTP/1.0\r\n\r\n")]
    [InlineData("GET /old HTTP/1.0\r\nHost: appliance.test\r\nUser-Agent: legacy\r\n\r\n")]
    public void AnHttp10RequestIsAnsweredThenClosed(string request)
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var scratch = new ScratchDirectory();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(request);
        var response = HttpResponse.Read(connection);

        Assert.Equal((200, "app1"), (response.Status, response.BodyText));
        HttpExchange.AssertClosedByPeer(connection, "after answering an HTTP/1.0 request without keep-alive");
    }

    [Fact]
    public void AServerThatClosesDoesNotCloseTheClientConnection()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get("/close"));
        var closing = HttpResponse.Read(connection);
        connection.SendText(HttpRequests.Get("/again"));
        var again = HttpResponse.Read(connection);

        Assert.Equal((200, "app1"), (closing.Status, closing.BodyText));
        Assert.Equal((200, "/again"), (again.Status, again.Header("X-Request-Target")));
        var requests = origin.ReadRecord().Requests;
        Assert.NotEqual(requests[0].Connection, requests[1].Connection);
    }
}
