using Appliance.Http;
using static Appliance.Tests.Http.HttpText;

namespace Appliance.Tests.Http;

public sealed class ResponseHeadParserTests
{
    public static TheoryData<string> ValidResponses => new()
    {
        "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/html\r\n\r\n",
        "HTTP/1.0 200 OK\r\nServer: old\r\n\r\n",
        "HTTP/1.1 204 \r\n\r\n",
        "HTTP/1.1 304\r\nETag: \"x\"\r\n\r\n",
        "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
        "HTTP/1.1 404 Not Found, really (caf\u00e9)\tok\r\nConnection: close\r\n\r\n",
        "HTTP/1.1 599 Custom\r\nContent-Length: 0\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(ValidResponses))]
    public void Every_prefix_needs_more_bytes_and_the_whole_parses_the_same(string response)
    {
        byte[] bytes = Bytes(response);
        var full = new ResponseHead();
        HeadParseResult complete = Http1HeadParser.ParseResponse(bytes, full);
        Assert.Equal(HeadParseStatus.Complete, complete.Status);
        Assert.Equal(bytes.Length, complete.Consumed);

        var incremental = new ResponseHead();
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(HeadParseStatus.NeedMoreBytes, Http1HeadParser.ParseResponse(bytes.AsSpan(0, length), new ResponseHead()).Status);
            Assert.Equal(HeadParseStatus.NeedMoreBytes, Http1HeadParser.ParseResponse(bytes.AsSpan(0, length), incremental).Status);
        }
        Assert.Equal(bytes.Length, Http1HeadParser.ParseResponse(bytes, incremental).Consumed);
        Assert.Equal(Describe(bytes, full), Describe(bytes, incremental));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK", Http1Version.Http11, 200, "OK")]
    [InlineData("HTTP/1.0 404 Not Found", Http1Version.Http10, 404, "Not Found")]
    [InlineData("HTTP/1.1 204 ", Http1Version.Http11, 204, "")]
    [InlineData("HTTP/1.1 204", Http1Version.Http11, 204, "")]
    [InlineData("HTTP/1.1 500  Two  Spaces ", Http1Version.Http11, 500, " Two  Spaces ")]
    public void Status_line_gives_version_code_and_reason(string statusLine, Http1Version version, int code, string reason)
    {
        byte[] bytes = Bytes(statusLine + "\r\nContent-Length: 0\r\n\r\n");
        var head = new ResponseHead();
        Assert.True(Http1HeadParser.ParseResponse(bytes, head).IsComplete);
        Assert.Equal(version, head.Version);
        Assert.Equal(code, head.StatusCode);
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), Text(head.StatusCodeText, bytes));
        Assert.Equal(reason, Text(head.Reason, bytes));
    }

    [Theory]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("HTTP/1.1 2x0 OK\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("HTTP/1.1  200 OK\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("HTTP/1.1 200 O\u0001K\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("http/1.1 200 OK\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("HTTP/1.1\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("ICY 200 OK\r\n\r\n", MessageError.InvalidStatusLine)]
    [InlineData("HTTP/2.0 200 OK\r\n\r\n", MessageError.UnsupportedVersion)]
    [InlineData("HTTP/1.2 200 OK\r\n\r\n", MessageError.UnsupportedVersion)]
    [InlineData("HTTP/1.1 200 OK\n\r\n", MessageError.BareLineFeed)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\n\r\n", MessageError.BareLineFeed)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", MessageError.ContentLengthWithTransferEncoding)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", MessageError.ConflictingContentLength)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", MessageError.InvalidContentLength)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", MessageError.ChunkedAppliedTwice)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: magic\r\n\r\n", MessageError.UnknownTransferCoding)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\r\n c\r\n\r\n", MessageError.ObsoleteLineFolding)]
    [InlineData("HTTP/1.1 200 OK\r\nA : b\r\n\r\n", MessageError.WhitespaceBeforeColon)]
    [InlineData("HTTP/1.1 200 OK\r\n: b\r\n\r\n", MessageError.EmptyFieldName)]
    [InlineData("HTTP/1.1 200 OK\r\nA\u0000: b\r\n\r\n", MessageError.InvalidFieldName)]
    [InlineData("HTTP/1.1 200 OK\r\nA: b\u0000\r\n\r\n", MessageError.InvalidFieldValue)]
    [InlineData("HTTP/1.1 200 OK\r\nSet-Cookie\r\n\r\n", MessageError.MissingColon)]
    public void Invalid_response_is_a_bad_gateway(string response, MessageError error)
    {
        HeadParseResult result = Http1HeadParser.ParseResponse(Bytes(response), new ResponseHead());
        Assert.Equal(HeadParseStatus.Error, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Equal(502, result.StatusCode);
    }

    [Fact]
    public void Responses_do_not_need_host_and_may_repeat_fields()
    {
        byte[] bytes = Bytes("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nHost: x\r\nHost: y\r\n\r\n");
        var head = new ResponseHead();
        Assert.True(Http1HeadParser.ParseResponse(bytes, head).IsComplete);
        var cookies = new List<string>();
        foreach (ReadOnlySpan<byte> value in head.ValuesOf(bytes, "set-cookie"u8)) cookies.Add(Text(value));
        Assert.Equal(["a=1", "b=2"], cookies);
    }

    [Fact]
    public void Response_head_limit_is_a_bad_gateway()
    {
        var limits = new HeadLimits { MaxHeadBytes = 32 };
        HeadParseResult result = Http1HeadParser.ParseResponse(Bytes("HTTP/1.1 200 OK\r\nX-Long: aaaaaaaaaaaaaaaa"), new ResponseHead(limits));
        Assert.Equal((MessageError.HeadTooLarge, 502), (result.Error, result.StatusCode));
    }

    [Fact]
    public void Interim_response_then_final_response_in_one_buffer()
    {
        byte[] bytes = Bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        var head = new ResponseHead();
        HeadParseResult interim = Http1HeadParser.ParseResponse(bytes, head);
        Assert.True(head.IsInterim);
        head.Reset();
        HeadParseResult final = Http1HeadParser.ParseResponse(bytes.AsSpan(interim.Consumed), head);
        Assert.True(final.IsComplete);
        Assert.Equal(201, head.StatusCode);
        Assert.Equal(bytes.Length, interim.Consumed + final.Consumed);
    }
}
