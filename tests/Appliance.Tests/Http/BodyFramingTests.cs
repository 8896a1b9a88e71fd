using Appliance.Http;
using static Appliance.Tests.Http.HttpText;

namespace Appliance.Tests.Http;

public sealed class BodyFramingTests
{
    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: h\r\n\r\n", BodyKind.None, 0)]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\n\r\n", BodyKind.None, 0)]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 42\r\n\r\n", BodyKind.ContentLength, 42)]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", BodyKind.ContentLength, 0)]
    [InlineData("POST / HTTP/1.0\r\nContent-Length: 7\r\n\r\n", BodyKind.ContentLength, 7)]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", BodyKind.Chunked, 0)]
    [InlineData("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: deflate,chunked\r\n\r\n", BodyKind.Chunked, 0)]
    public void Request_body(string request, BodyKind kind, long length)
    {
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(Bytes(request), head).IsComplete);
        Assert.Equal(new BodyFraming(kind, length), BodyFraming.ForRequest(head));
    }

    private const string Chunked = "Transfer-Encoding: chunked\r\n";
    private const string Length5 = "Content-Length: 5\r\n";

    [Theory]
    [InlineData(RequestMethod.Head, "HTTP/1.1 200 OK\r\n" + Length5, BodyKind.None, 0)]
    [InlineData(RequestMethod.Head, "HTTP/1.1 200 OK\r\n" + Chunked, BodyKind.None, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 100 Continue\r\n", BodyKind.None, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 103 Early Hints\r\n" + Length5, BodyKind.None, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n", BodyKind.Tunnel, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 204 No Content\r\n" + Length5, BodyKind.None, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 304 Not Modified\r\n" + Chunked, BodyKind.None, 0)]
    [InlineData(RequestMethod.Connect, "HTTP/1.1 200 Connection Established\r\n", BodyKind.Tunnel, 0)]
    [InlineData(RequestMethod.Connect, "HTTP/1.1 200 OK\r\n" + Length5, BodyKind.Tunnel, 0)]
    [InlineData(RequestMethod.Connect, "HTTP/1.1 407 Proxy Auth\r\n" + Length5, BodyKind.ContentLength, 5)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 200 OK\r\n" + Chunked, BodyKind.Chunked, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n", BodyKind.CloseDelimited, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n", BodyKind.CloseDelimited, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.0 200 OK\r\n" + Chunked, BodyKind.CloseDelimited, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 200 OK\r\n" + Length5, BodyKind.ContentLength, 5)]
    [InlineData(RequestMethod.Post, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n", BodyKind.ContentLength, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.1 200 OK\r\n", BodyKind.CloseDelimited, 0)]
    [InlineData(RequestMethod.Get, "HTTP/1.0 200 OK\r\n", BodyKind.CloseDelimited, 0)]
    public void Response_body(RequestMethod method, string head, BodyKind kind, long length)
    {
        var response = new ResponseHead();
        Assert.True(Http1HeadParser.ParseResponse(Bytes(head + "\r\n"), response).IsComplete);
        Assert.Equal(new BodyFraming(kind, length), BodyFraming.ForResponse(response, method));
    }
}
