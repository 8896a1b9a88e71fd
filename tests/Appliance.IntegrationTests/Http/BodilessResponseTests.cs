namespace Appliance.IntegrationTests.Http;

/// <summary>
/// Responses that have no body whatever their fields say (RFC 9112 section 6.3): answers to HEAD, 204 and 304.
/// Contract: the client gets the status and fields with no body bytes, and the connection stays in sync: the next
/// request on it is answered normally (a proxy that waited for, or forwarded, a body would desynchronise it).
/// </summary>
public sealed class BodilessResponseTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("HEAD", "/bytes/1000", 200)]
    [InlineData("HEAD", "/chunked/1000", 200)]
    [InlineData("HEAD", "/", 200)]
    [InlineData("GET", "/status/204", 204)]
    [InlineData("GET", "/status/304", 304)]
    public void NoBodyIsSentAndTheNextRequestIsAnsweredNormally(string method, string path, int status)
    {
        using var origin = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        using var scratch = new ScratchDirectory();
        using var proxy = ApplianceProcess.Start(scratch, ConfigTemplates.HttpToServers(port, [origin]), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Head(method, path));
        var bodiless = HttpResponse.Read(connection, headRequest: method == "HEAD");
        connection.SendText(HttpRequests.Get("/next"));
        var next = HttpResponse.Read(connection);

        Assert.Equal(status, bodiless.Status);
        Assert.Equal(0, bodiless.BodyLength);
        if (path == "/bytes/1000")
        {
            Assert.Equal("1000", bodiless.Header("Content-Length"));
        }

        Assert.Equal((200, "/next", "app1"), (next.Status, next.Header("X-Request-Target"), next.BodyText));
    }
}
