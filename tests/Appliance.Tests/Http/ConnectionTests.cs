using Appliance.Http;
using static Appliance.Tests.Http.HttpText;

namespace Appliance.Tests.Http;

public sealed class ConnectionTests
{
    [Theory]
    [InlineData("HTTP/1.1", "", true, ConnectionOptions.None)]
    [InlineData("HTTP/1.1", "Connection: close\r\n", false, ConnectionOptions.Close)]
    [InlineData("HTTP/1.1", "Connection: Keep-Alive\r\n", true, ConnectionOptions.KeepAlive)]
    [InlineData("HTTP/1.1", "Connection: keep-alive, CLOSE\r\n", false, ConnectionOptions.Close | ConnectionOptions.KeepAlive)]
    [InlineData("HTTP/1.1", "Connection: x-trace\r\nConnection: close\r\n", false, ConnectionOptions.Close | ConnectionOptions.Other)]
    [InlineData("HTTP/1.0", "", false, ConnectionOptions.None)]
    [InlineData("HTTP/1.0", "Connection: keep-alive\r\n", true, ConnectionOptions.KeepAlive)]
    [InlineData("HTTP/1.0", "Connection: keep-alive, close\r\n", false, ConnectionOptions.Close | ConnectionOptions.KeepAlive)]
    [InlineData("HTTP/1.0", "Connection: upgrade\r\n", false, ConnectionOptions.Upgrade)]
    public void Persistence_follows_version_and_connection_options(string version, string fields, bool persists, ConnectionOptions options)
    {
        var request = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(Bytes($"GET / {version}\r\nHost: h\r\n{fields}\r\n"), request).IsComplete);
        Assert.Equal(options, request.Connection);
        Assert.Equal(persists, request.KeepsConnectionAlive);

        var response = new ResponseHead();
        Assert.True(Http1HeadParser.ParseResponse(Bytes($"{version} 200 OK\r\nContent-Length: 0\r\n{fields}\r\n"), response).IsComplete);
        Assert.Equal(persists, response.KeepsConnectionAlive);
    }

    [Theory]
    [InlineData("HTTP/1.1", "Connection: upgrade\r\nUpgrade: websocket\r\n", true)]
    [InlineData("HTTP/1.1", "Connection: keep-alive, Upgrade\r\nUpgrade: h2c\r\n", true)]
    [InlineData("HTTP/1.1", "Upgrade: websocket\r\n", false)]
    [InlineData("HTTP/1.1", "Connection: upgrade\r\n", false)]
    [InlineData("HTTP/1.0", "Connection: upgrade\r\nUpgrade: websocket\r\n", false)]
    public void Upgrade_needs_the_field_and_the_connection_option_in_http11(string version, string fields, bool upgrade)
    {
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(Bytes($"GET / {version}\r\nHost: h\r\n{fields}\r\n"), head).IsComplete);
        Assert.Equal(upgrade, head.IsUpgradeRequest);
    }

    [Theory]
    [InlineData("HTTP/1.1", "Expect: 100-continue\r\n", true)]
    [InlineData("HTTP/1.1", "Expect: 100-Continue\r\n", true)]
    [InlineData("HTTP/1.1", "", false)]
    [InlineData("HTTP/1.1", "Expect: something-else\r\n", false)]
    [InlineData("HTTP/1.0", "Expect: 100-continue\r\n", false)]
    public void Expect_continue_only_counts_in_http11(string version, string fields, bool expect)
    {
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(Bytes($"PUT / {version}\r\nHost: h\r\nContent-Length: 1\r\n{fields}\r\n"), head).IsComplete);
        Assert.Equal(expect, head.ExpectContinue);
    }

    [Fact]
    public void Fields_named_by_connection_are_known()
    {
        byte[] bytes = Bytes("GET / HTTP/1.1\r\nHost: h\r\nConnection: close, X-Hop ,x-other\r\nX-Hop: 1\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.True(head.IsNamedByConnection(bytes, "x-hop"u8));
        Assert.True(head.IsNamedByConnection(bytes, "X-OTHER"u8));
        Assert.False(head.IsNamedByConnection(bytes, "X-Ho"u8));
    }
}
