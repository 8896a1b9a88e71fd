using Appliance.Http;
using static Appliance.Tests.Http.HttpText;

namespace Appliance.Tests.Http;

/// <summary>One case per strictness rule, with the raw bytes that break it.</summary>
public sealed class RequestRejectionTests
{
    private const string H = "Host: h\r\n";

    [Theory]
    // Framing: Content-Length and Transfer-Encoding
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", MessageError.ContentLengthWithTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n", MessageError.ContentLengthWithTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n", MessageError.ConflictingContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5, 6\r\n\r\n", MessageError.ConflictingContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 5,\r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: \r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: +5\r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: -1\r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 0x10\r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 1 0\r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 9223372036854775808\r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Content-Length: 99999999999999999999999\r\n\r\n", MessageError.InvalidContentLength, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\n", MessageError.ChunkedNotFinal, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n", MessageError.ChunkedNotFinal, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n", MessageError.ChunkedNotFinal, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, chunked\r\n\r\n", MessageError.ChunkedAppliedTwice, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", MessageError.ChunkedAppliedTwice, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: identity\r\n\r\n", MessageError.UnknownTransferCoding, 501)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: foo, chunked\r\n\r\n", MessageError.UnknownTransferCoding, 501)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunkedx\r\n\r\n", MessageError.UnknownTransferCoding, 501)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \"chunked\"\r\n\r\n", MessageError.InvalidTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked;q=1\r\n\r\n", MessageError.InvalidTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\r\n\r\n", MessageError.InvalidTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: ,\r\n\r\n", MessageError.InvalidTransferEncoding, 400)]
    [InlineData("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", MessageError.TransferEncodingInHttp10, 400)]
    // Field lines
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\r\n b\r\n\r\n", MessageError.ObsoleteLineFolding, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\r\n\tb\r\n\r\n", MessageError.ObsoleteLineFolding, 400)]
    [InlineData("GET / HTTP/1.1\r\n Host: h\r\n\r\n", MessageError.ObsoleteLineFolding, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost : h\r\n\r\n", MessageError.WhitespaceBeforeColon, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "Transfer-Encoding\t: chunked\r\n\r\n", MessageError.WhitespaceBeforeColon, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + ": empty\r\n\r\n", MessageError.EmptyFieldName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "NoColon\r\n\r\n", MessageError.MissingColon, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X A: b\r\n\r\n", MessageError.InvalidFieldName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X(A): b\r\n\r\n", MessageError.InvalidFieldName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-\u00e9: b\r\n\r\n", MessageError.InvalidFieldName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-\0: b\r\n\r\n", MessageError.InvalidFieldName, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\0b\r\n\r\n", MessageError.InvalidFieldValue, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\rb\r\n\r\n", MessageError.InvalidFieldValue, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\r\r\n\r\n", MessageError.InvalidFieldValue, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\u0001b\r\n\r\n", MessageError.InvalidFieldValue, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\u007fb\r\n\r\n", MessageError.InvalidFieldValue, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: a\u001bb\r\n\r\n", MessageError.InvalidFieldValue, 400)]
    // Line endings
    [InlineData("GET / HTTP/1.1\n" + H + "\r\n", MessageError.BareLineFeed, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: h\n\r\n", MessageError.BareLineFeed, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "X-A: b\nX-B: c\r\n\r\n", MessageError.BareLineFeed, 400)]
    [InlineData("GET / HTTP/1.1\r\n" + H + "\n", MessageError.BareLineFeed, 400)]
    [InlineData("\nGET / HTTP/1.1\r\n" + H + "\r\n", MessageError.BareLineFeed, 400)]
    // Request line
    [InlineData("G(T / HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidMethod, 400)]
    [InlineData("G\u00c9T / HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidMethod, 400)]
    [InlineData(" GET / HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidMethod, 400)]
    [InlineData("GET\t/ HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidMethod, 400)]
    [InlineData("GET  / HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET /a b HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidVersion, 400)]
    [InlineData("GET /a\tb HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET /a\u0001 HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET /a\u007f HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET /a#frag HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET /a\rb HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET / HTTP/1.1 \r\n" + H + "\r\n", MessageError.InvalidVersion, 400)]
    [InlineData("GET / http/1.1\r\n" + H + "\r\n", MessageError.InvalidVersion, 400)]
    [InlineData("GET / HTTP/1.10\r\n" + H + "\r\n", MessageError.InvalidVersion, 400)]
    [InlineData("GET / HTTP/11\r\n" + H + "\r\n", MessageError.InvalidVersion, 400)]
    [InlineData("GET / HTTP/1\r\n" + H + "\r\n", MessageError.InvalidVersion, 400)]
    [InlineData("GET / HTTP/2.0\r\n" + H + "\r\n", MessageError.UnsupportedVersion, 505)]
    [InlineData("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", MessageError.UnsupportedVersion, 505)]
    [InlineData("GET / HTTP/1.2\r\n" + H + "\r\n", MessageError.UnsupportedVersion, 505)]
    [InlineData("GET / HTTP/0.9\r\n" + H + "\r\n", MessageError.UnsupportedVersion, 505)]
    [InlineData("GET / HTTP/3.0\r\n" + H + "\r\n", MessageError.UnsupportedVersion, 505)]
    [InlineData("GET /\r\n", MessageError.MissingVersion, 400)]
    [InlineData("GET\r\n", MessageError.MissingVersion, 400)]
    [InlineData("\r\n\r\nGET /index.html\r\n", MessageError.MissingVersion, 400)]
    [InlineData("GET \r\n", MessageError.InvalidRequestTarget, 400)]
    // Request-target forms
    [InlineData("GET * HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("GET example.com:443 HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("CONNECT / HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("CONNECT http://example.com:443/ HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("CONNECT example.com HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("CONNECT example.com: HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("CONNECT user@example.com:443 HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("CONNECT * HTTP/1.1\r\n" + H + "\r\n", MessageError.TargetFormMismatch, 400)]
    [InlineData("GET index.html HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET http:/example.com/ HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET http:///path HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET http://user:pw@example.com/ HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    [InlineData("GET 1http://example.com/ HTTP/1.1\r\n" + H + "\r\n", MessageError.InvalidRequestTarget, 400)]
    // Host
    [InlineData("GET / HTTP/1.1\r\n\r\n", MessageError.MissingHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nX-Host: h\r\n\r\n", MessageError.MissingHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", MessageError.MultipleHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n", MessageError.MultipleHost, 400)]
    [InlineData("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", MessageError.MultipleHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a b\r\n\r\n", MessageError.InvalidHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", MessageError.InvalidHost, 400)]
    [InlineData("GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", MessageError.InvalidHost, 400)]
    public void Is_refused(string request, MessageError error, int status)
    {
        byte[] bytes = Bytes(request);
        HeadParseResult result = Http1HeadParser.ParseRequest(bytes, new RequestHead());
        Assert.Equal(HeadParseStatus.Error, result.Status);
        Assert.Equal(error, result.Error);
        Assert.Equal(status, result.StatusCode);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n")]
    [InlineData("Content-Length: 5, 5\r\n")]
    [InlineData("Content-Length: 5,5 , 5\r\nContent-Length: 05\r\n")]
    public void Identical_content_lengths_collapse_into_one(string fields)
    {
        byte[] bytes = Bytes("POST / HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.Equal(new BodyFraming(BodyKind.ContentLength, 5), BodyFraming.ForRequest(head));
    }

    [Fact]
    public void Http10_request_may_omit_host()
    {
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(Bytes("GET / HTTP/1.0\r\n\r\n"), head).IsComplete);
        Assert.False(head.HasHost);
    }

    [Fact]
    public void Long_content_length_up_to_long_max_is_accepted()
    {
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(Bytes("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775807\r\n\r\n"), head).IsComplete);
        Assert.Equal(long.MaxValue, head.ContentLength);
    }

    [Fact]
    public void Codings_are_case_insensitive_and_empty_list_elements_are_ignored()
    {
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(Bytes("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: , GZIP ,, Chunked\r\n\r\n"), head).IsComplete);
        Assert.True(head.IsChunked);
        Assert.Equal(BodyKind.Chunked, BodyFraming.ForRequest(head).Kind);
    }
}
