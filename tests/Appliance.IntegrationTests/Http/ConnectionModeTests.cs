namespace Appliance.IntegrationTests.Http;

/// <summary>
/// HAProxy's HTTP connection modes. Contract: <c>option http-server-close</c> keeps the client connection but
/// uses each server connection for one request, telling the server <c>Connection: close</c>;
/// <c>option httpclose</c> closes both sides after each response, each told <c>Connection: close</c>; the
/// stronger of the frontend's and the backend's mode applies.
/// </summary>
public sealed class ConnectionModeTests(ITestOutputHelper output)
{
    private static string Config(int port, BackendProcess origin, string frontendOption, string backendOption) => $$"""
        {{ConfigTemplates.Global(nbthread: 1)}}
        {{ConfigTemplates.HttpDefaults}}

        frontend fe
            bind 127.0.0.1:{{port}}
            {{frontendOption}}
            default_backend be

        backend be
            {{backendOption}}
            server app1 {{origin.Address}}
        """;

    [Theory]
    // The default: one server connection carries every request, and nothing tells it to close.
    [InlineData("", 1, null)]
    [InlineData("option http-server-close", 3, "close")]
    public void TheClientIsKeptAndServerConnectionsFollowTheMode(string backendOption, int serverConnections, string? connectionField)
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, origin, "", backendOption), output);
        using var connection = LoopbackConnection.Open(port);

        for (int i = 1; i <= 3; i++)
        {
            connection.SendText(HttpRequests.Get($"/p/{i}"));
            HttpResponse response = HttpResponse.Read(connection);
            Assert.Equal(200, response.Status);
            Assert.False(response.HasConnectionOption("close"), response.ToString());
        }

        var record = origin.ReadRecord();
        Assert.Equal(serverConnections, record.ConnectionsCarryingRequests);
        Assert.All(record.Requests, request => Assert.Equal(connectionField, request.Header("Connection")));
    }

    [Theory]
    [InlineData("option httpclose", "")]
    // The frontend keeps alive, the backend closes: the stronger mode wins.
    [InlineData("option http-keep-alive", "option httpclose")]
    // The backend's server-close and the frontend's close: close.
    [InlineData("option httpclose", "option http-server-close")]
    public void HttpCloseClosesBothSidesAfterTheResponse(string frontendOption, string backendOption)
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, Config(port, origin, frontendOption, backendOption), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get("/p/1"));
        HttpResponse response = HttpResponse.Read(connection);
        Assert.Equal(200, response.Status);
        Assert.True(response.HasConnectionOption("close"), response.ToString());
        Assert.Equal(CloseOutcome.EndOfStream, connection.ReadUntilClosed(out long extra));
        Assert.Equal(0, extra);
        Assert.Equal("close", Assert.Single(origin.ReadRecord().Requests).Header("Connection"));
    }
}
