using Appliance.Http;
using static Appliance.Tests.Http.HttpText;

namespace Appliance.Tests.Http;

public sealed class HeadWriterTests
{
    private static (byte[] Source, RequestHead Head) ParseRequest(string text)
    {
        byte[] source = Bytes(text);
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(source, head).IsComplete);
        return (source, head);
    }

    private static string WriteRequest(string text, HopByHopFields removal, HeadEdits? edits = null)
    {
        (byte[] source, RequestHead head) = ParseRequest(text);
        var destination = new byte[4096];
        Assert.True(HeadWriter.TryWriteRequest(source, head, removal, edits, destination, out int written));
        return Text(destination.AsSpan(0, written));
    }

    [Fact]
    public void Unchanged_head_is_written_back_normalised()
    {
        string written = WriteRequest("GET /a?b HTTP/1.1\r\nHost:  h \r\nAccept:*/*\r\nX-Empty:\r\n\r\n", HopByHopFields.Forwarding);
        Assert.Equal("GET /a?b HTTP/1.1\r\nHost: h\r\nAccept: */*\r\nX-Empty: \r\n\r\n", written);
    }

    [Fact]
    public void Hop_by_hop_fields_and_those_connection_names_are_dropped()
    {
        const string request =
            "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, X-Hop, Upgrade\r\nKeep-Alive: timeout=5\r\n" +
            "Proxy-Connection: keep-alive\r\nTE: trailers\r\nUpgrade: websocket\r\nX-Hop: 1\r\nX-End: 2\r\n\r\n";
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-End: 2\r\n\r\n", WriteRequest(request, HopByHopFields.Forwarding));
        Assert.Equal(
            "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nX-End: 2\r\n\r\n",
            WriteRequest(request, HopByHopFields.Tunnelling));
        Assert.Equal(request, WriteRequest(request, HopByHopFields.None));
    }

    [Fact]
    public void Connection_cannot_strip_framing_or_host()
    {
        const string request =
            "POST / HTTP/1.1\r\nHost: h\r\nConnection: Content-Length, Host, Transfer-Encoding, Expect\r\n" +
            "Content-Length: 3\r\nExpect: 100-continue\r\n\r\n";
        Assert.Equal(
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
            WriteRequest(request, HopByHopFields.Forwarding));
    }

    [Fact]
    public void Transfer_encoding_goes_only_when_reframing()
    {
        const string request = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
        Assert.Equal(request, WriteRequest(request, HopByHopFields.Forwarding));
        var edits = new HeadEdits();
        Assert.True(edits.TryAdd("Content-Length"u8, "11"u8));
        Assert.Equal("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", WriteRequest(request, HopByHopFields.Reframing, edits));
    }

    [Fact]
    public void Duplicate_content_lengths_are_written_as_one()
    {
        Assert.Equal(
            "POST / HTTP/1.1\r\nHost: h\r\ncontent-length: 5\r\nX: y\r\n\r\n",
            WriteRequest("POST / HTTP/1.1\r\nHost: h\r\ncontent-length: 5 , 005\r\nX: y\r\nContent-Length: 5\r\n\r\n", HopByHopFields.Forwarding));
    }

    [Fact]
    public void Edits_apply_in_order_like_haproxy_rules()
    {
        var edits = new HeadEdits();
        Assert.True(edits.TryAdd("X-A"u8, "added-then-deleted"u8));
        Assert.True(edits.TryDelete("x-a"u8));
        Assert.True(edits.TrySet("X-Set"u8, "new"u8));
        Assert.True(edits.TryAdd("X-Forwarded-For"u8, "192.0.2.1"u8));
        Assert.True(edits.TryAdd("X-Set"u8, "second"u8));
        Assert.True(edits.TryAdd("Connection"u8, "close"u8));
        string written = WriteRequest(
            "GET / HTTP/1.1\r\nHost: h\r\nX-A: original\r\nX-Set: old\r\nX-Forwarded-For: 10.0.0.1\r\nConnection: keep-alive\r\n\r\n",
            HopByHopFields.Forwarding, edits);
        Assert.Equal(
            "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.0.0.1\r\n" +
            "X-Set: new\r\nX-Forwarded-For: 192.0.2.1\r\nX-Set: second\r\nConnection: close\r\n\r\n",
            written);
    }

    [Fact]
    public void Set_header_replaces_all_occurrences()
    {
        var edits = new HeadEdits();
        Assert.True(edits.TrySet("host"u8, "backend.local"u8));
        Assert.Equal(
            "GET / HTTP/1.1\r\nX: 1\r\nhost: backend.local\r\n\r\n",
            WriteRequest("GET / HTTP/1.1\r\nHost: h\r\nX: 1\r\n\r\n", HopByHopFields.Forwarding, edits));
    }

    [Theory]
    [InlineData("GET /old/p?x=1 HTTP/1.1", "/new", false, "GET /new?x=1 HTTP/1.1")]
    [InlineData("GET /old HTTP/1.1", "/new/", false, "GET /new/ HTTP/1.1")]
    [InlineData("GET /old? HTTP/1.1", "/n", false, "GET /n? HTTP/1.1")]
    [InlineData("GET http://example.com/old?q HTTP/1.1", "/new", false, "GET http://example.com/new?q HTTP/1.1")]
    [InlineData("GET http://example.com/old?q HTTP/1.1", null, true, "GET /old?q HTTP/1.1")]
    [InlineData("GET http://example.com HTTP/1.1", null, true, "GET / HTTP/1.1")]
    [InlineData("GET http://example.com?q HTTP/1.1", "/x", true, "GET /x?q HTTP/1.1")]
    [InlineData("GET http://example.com/p HTTP/1.1", null, false, "GET http://example.com/p HTTP/1.1")]
    [InlineData("OPTIONS * HTTP/1.1", "/ignored", true, "OPTIONS * HTTP/1.1")]
    [InlineData("CONNECT h:443 HTTP/1.1", "/ignored", true, "CONNECT h:443 HTTP/1.1")]
    [InlineData("GET / HTTP/1.0", null, false, "GET / HTTP/1.0")]
    public void Request_line_path_and_form(string requestLine, string? path, bool originForm, string expected)
    {
        var edits = new HeadEdits { UseOriginForm = originForm };
        if (path is not null) Assert.True(edits.TryReplacePath(Bytes(path)));
        string written = WriteRequest(requestLine + "\r\nHost: h:443\r\n\r\n", HopByHopFields.Forwarding, edits);
        Assert.Equal(expected + "\r\nHost: h:443\r\n\r\n", written);
    }

    [Theory]
    [InlineData("Bad Name", "v")]
    [InlineData("", "v")]
    [InlineData("X", "a\r\nInjected: yes")]
    [InlineData("X", "a\nb")]
    [InlineData("X", "a\0b")]
    public void Edits_refuse_what_is_not_field_syntax(string name, string value)
    {
        var edits = new HeadEdits();
        Assert.False(edits.TryAdd(Bytes(name), Bytes(value)));
        Assert.False(edits.TrySet(Bytes(name), Bytes(value)));
        Assert.Equal(0, edits.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative")]
    [InlineData("/a?b")]
    [InlineData("/a#b")]
    [InlineData("/a b")]
    public void Path_replacement_must_be_a_path(string path)
    {
        Assert.False(new HeadEdits().TryReplacePath(Bytes(path)));
    }

    [Fact]
    public void Edits_that_do_not_fit_are_refused_and_leave_no_trace()
    {
        var edits = new HeadEdits(arenaBytes: 10, maxEdits: 2);
        Assert.True(edits.TryAdd("A"u8, "123"u8));
        Assert.False(edits.TryAdd("B"u8, "1234567"u8));
        Assert.True(edits.TryAdd("C"u8, "12345"u8));
        Assert.False(edits.TryDelete("D"u8));
        Assert.Equal(2, edits.Count);
        edits.Clear();
        Assert.Equal(0, edits.Count);
        Assert.True(edits.TryAdd("B"u8, "1234567"u8));
    }

    [Fact]
    public void A_destination_too_small_is_reported()
    {
        (byte[] source, RequestHead head) = ParseRequest("GET /path HTTP/1.1\r\nHost: example.com\r\n\r\n");
        var exact = new byte[41];
        Assert.True(HeadWriter.TryWriteRequest(source, head, HopByHopFields.Forwarding, null, exact, out int written));
        Assert.Equal(41, written);
        for (int size = 0; size < 41; size++)
        {
            Assert.False(HeadWriter.TryWriteRequest(source, head, HopByHopFields.Forwarding, null, new byte[size], out written));
            Assert.Equal(0, written);
        }
    }

    [Fact]
    public void Rewritten_request_parses_back_to_the_expected_fields()
    {
        (byte[] source, RequestHead head) = ParseRequest(
            "POST http://example.com/api/v1?debug=1 HTTP/1.1\r\nHost: example.com\r\nConnection: keep-alive, X-Secret\r\n" +
            "X-Secret: s\r\nContent-Length: 4, 4\r\nUser-Agent:  test \r\nX-Forwarded-For: 10.1.1.1\r\n\r\n");
        var edits = new HeadEdits { UseOriginForm = true };
        Assert.True(edits.TryReplacePath("/v2/api"u8));
        Assert.True(edits.TryAdd("X-Forwarded-For"u8, "198.51.100.7"u8));
        Assert.True(edits.TrySet("Connection"u8, "close"u8));
        var destination = new byte[1024];
        Assert.True(HeadWriter.TryWriteRequest(source, head, HopByHopFields.Forwarding, edits, destination, out int written));

        var again = new RequestHead();
        ReadOnlySpan<byte> output = destination.AsSpan(0, written);
        Assert.Equal(written, Http1HeadParser.ParseRequest(output, again).Consumed);
        Assert.Equal(RequestMethod.Post, again.Method);
        Assert.Equal(RequestTargetForm.Origin, again.TargetForm);
        Assert.Equal("/v2/api", Text(again.Path, output));
        Assert.Equal("debug=1", Text(again.Query, output));
        Assert.Equal("example.com", Text(again.Host, output));
        Assert.Equal(4, again.ContentLength);
        Assert.Equal(ConnectionOptions.Close, again.Connection);
        Assert.False(again.KeepsConnectionAlive);
        Assert.Equal(-1, again.IndexOfHeader(output, "X-Secret"u8));
        Assert.True(again.TryGetHeader(output, "user-agent"u8, out ReadOnlySpan<byte> agent));
        Assert.Equal("test", Text(agent));
        var forwarded = new List<string>();
        foreach (ReadOnlySpan<byte> value in again.ValuesOf(output, "x-forwarded-for"u8)) forwarded.Add(Text(value));
        Assert.Equal(["10.1.1.1", "198.51.100.7"], forwarded);
    }

    [Fact]
    public void Response_head_is_rewritten_and_parses_back()
    {
        byte[] source = Bytes("HTTP/1.1 200 OK\r\nServer: app\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nTransfer-Encoding: chunked\r\n\r\n");
        var head = new ResponseHead();
        Assert.True(Http1HeadParser.ParseResponse(source, head).IsComplete);
        var edits = new HeadEdits();
        Assert.True(edits.TryDelete("Server"u8));
        Assert.True(edits.TryAdd("X-Served-By"u8, "appliance"u8));
        var destination = new byte[512];
        Assert.True(HeadWriter.TryWriteResponse(source, head, HopByHopFields.Forwarding, edits, destination, out int written));
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Served-By: appliance\r\n\r\n",
            Text(destination.AsSpan(0, written)));

        var again = new ResponseHead();
        Assert.True(Http1HeadParser.ParseResponse(destination.AsSpan(0, written), again).IsComplete);
        Assert.Equal(BodyKind.Chunked, BodyFraming.ForResponse(again, RequestMethod.Get).Kind);
    }

    [Fact]
    public void Response_with_empty_reason_gets_its_space_back()
    {
        byte[] source = Bytes("HTTP/1.0 204\r\n\r\n");
        var head = new ResponseHead();
        Assert.True(Http1HeadParser.ParseResponse(source, head).IsComplete);
        var destination = new byte[64];
        Assert.True(HeadWriter.TryWriteResponse(source, head, HopByHopFields.Forwarding, null, destination, out int written));
        Assert.Equal("HTTP/1.0 204 \r\n\r\n", Text(destination.AsSpan(0, written)));
    }
}
