namespace Appliance.IntegrationTests.Http;

/// <summary>
/// WebSocket through the proxy (RFC 6455 opening handshake over HTTP/1.1 Upgrade). Contract: the upgrade request
/// reaches the origin with its <c>Upgrade</c> and <c>Connection: upgrade</c> fields, the client gets the origin's
/// <c>101 Switching Protocols</c> (with its <c>Sec-WebSocket-Accept</c>), and from then on bytes flow raw in both
/// directions until one side closes; the proxy no longer parses them as HTTP.
/// </summary>
public sealed class WebSocketTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AnUpgradedConnectionCarriesRawBytesBothWays()
    {
        const string key = "dGhlIHNhbXBsZSBub25jZQ==";
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch,
            ConfigTemplates.HttpToServers(port, [origin], backendLines: "timeout tunnel 10s"),
            output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get("/ws", fields: ["Upgrade: websocket", "Connection: Upgrade", $"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]));
        var switching = HttpResponse.Read(connection);
        Assert.Equal(101, switching.Status);
        Assert.Equal("websocket", switching.Header("Upgrade"), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", switching.Header("Sec-WebSocket-Accept"));

        // Bytes that would be an HTTP request if the proxy still parsed them, then bulk binary.
        var textLike = System.Text.Encoding.ASCII.GetBytes(HttpRequests.Get("/not-http-any-more"));
        connection.Send(textLike);
        Assert.Equal(textLike, connection.ReadExactly(textLike.Length));
        var payload = DeterministicByteStream.Generate(512 * 1024);
        var echoing = Task.Run(() => connection.ReadExactly(payload.Length));
        connection.Send(payload);
        Assert.Equal(payload, await echoing);

        connection.ShutdownSend();
        HttpExchange.AssertClosedByPeer(connection, "after the client closed its side of the tunnel");
        var upgrade = Assert.Single(origin.ReadRecord().Requests);
        Assert.Equal("/ws", upgrade.Target);
        Assert.Equal("websocket", upgrade.Header("Upgrade"), StringComparer.OrdinalIgnoreCase);
        Assert.Contains("upgrade", upgrade.Header("Connection") ?? "", StringComparison.OrdinalIgnoreCase);
    }
}
