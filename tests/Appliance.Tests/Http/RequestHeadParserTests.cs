using Appliance.Http;
using static Appliance.Tests.Http.HttpText;

namespace Appliance.Tests.Http;

public sealed class RequestHeadParserTests
{
    public static TheoryData<string> ValidRequests => new()
    {
        "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET /a/b?x=1&y=%20 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n",
        "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\n",
        "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
        "GET /old HTTP/1.0\r\n\r\n",
        "GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "GET http://example.com/p?q HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n",
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        "CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
        "PROPFIND /dav HTTP/1.1\r\nHost: h\r\nDepth: 1\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        "PUT /big HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Tabs:\t a\tb \t\r\nX-Obs: caf\u00e9\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: \r\n\r\n",
        "\r\n\r\nGET /after-empty-lines HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 7, 7\r\nContent-Length: 7\r\n\r\n",
        "GET /search?q=a|b^c{d}\"e\" HTTP/1.1\r\nHost: h\r\n\r\n",
    };

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void Every_prefix_needs_more_bytes_and_the_whole_parses_the_same(string request)
    {
        byte[] bytes = Bytes(request);
        var full = new RequestHead();
        HeadParseResult complete = Http1HeadParser.ParseRequest(bytes, full);
        Assert.Equal(HeadParseStatus.Complete, complete.Status);
        Assert.Equal(bytes.Length, complete.Consumed);
        string expected = Describe(bytes, full);

        var incremental = new RequestHead();
        for (int length = 0; length < bytes.Length; length++)
        {
            ReadOnlySpan<byte> prefix = bytes.AsSpan(0, length);
            Assert.Equal(HeadParseStatus.NeedMoreBytes, Http1HeadParser.ParseRequest(prefix, new RequestHead()).Status);
            Assert.Equal(HeadParseStatus.NeedMoreBytes, Http1HeadParser.ParseRequest(prefix, incremental).Status);
        }
        Assert.Equal(complete.Consumed, Http1HeadParser.ParseRequest(bytes, incremental).Consumed);
        Assert.Equal(expected, Describe(bytes, incremental));
    }

    [Theory]
    [MemberData(nameof(ValidRequests))]
    public void Bytes_after_the_head_are_not_consumed(string request)
    {
        byte[] bytes = Bytes(request + "hello GET / HTTP/1.1\r\n");
        var head = new RequestHead();
        HeadParseResult result = Http1HeadParser.ParseRequest(bytes, head);
        Assert.True(result.IsComplete);
        Assert.Equal(request.Length, result.Consumed);
        Assert.Equal(request.Length, head.HeadLength);
    }

    [Fact]
    public void Origin_form_is_split_into_path_and_query()
    {
        byte[] bytes = Bytes("GET /a/b?x=1&y=2 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.Equal(RequestMethod.Get, head.Method);
        Assert.Equal("GET", Text(head.MethodToken, bytes));
        Assert.Equal(RequestTargetForm.Origin, head.TargetForm);
        Assert.Equal("/a/b?x=1&y=2", Text(head.Target, bytes));
        Assert.Equal("/a/b", Text(head.Path, bytes));
        Assert.True(head.HasQuery);
        Assert.Equal("x=1&y=2", Text(head.Query, bytes));
        Assert.Equal(Http1Version.Http11, head.Version);
        Assert.Equal("example.com", Text(head.Host, bytes));
        Assert.Equal(2, head.Headers.Length);
        Assert.Equal(KnownHeader.Host, head.Headers[0].Known);
        Assert.Equal("Accept", Text(head.Headers[1].Name, bytes));
        Assert.Equal("*/*", Text(head.Headers[1].Value, bytes));
    }

    [Fact]
    public void Empty_query_differs_from_no_query()
    {
        byte[] bytes = Bytes("GET /p? HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.Equal("/p", Text(head.Path, bytes));
        Assert.True(head.HasQuery);
        Assert.True(head.Query.IsEmpty);
    }

    [Theory]
    [InlineData("GET http://example.com/p/q?x=1 HTTP/1.1", "http", "example.com", "/p/q", "x=1")]
    [InlineData("GET HTTPS://Example.com:8443?x HTTP/1.1", "HTTPS", "Example.com:8443", "", "x")]
    [InlineData("GET http://example.com HTTP/1.1", "http", "example.com", "", null)]
    [InlineData("GET http://[2001:db8::1]:80/ HTTP/1.1", "http", "[2001:db8::1]:80", "/", null)]
    public void Absolute_form_gives_scheme_authority_path_and_query(string requestLine, string scheme, string authority, string path, string? query)
    {
        byte[] bytes = Bytes(requestLine + "\r\nHost: whatever\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.Equal(RequestTargetForm.Absolute, head.TargetForm);
        Assert.Equal(scheme, Text(head.Scheme, bytes));
        Assert.Equal(authority, Text(head.Authority, bytes));
        Assert.Equal(path, Text(head.Path, bytes));
        Assert.Equal(query is not null, head.HasQuery);
        if (query is not null) Assert.Equal(query, Text(head.Query, bytes));
        Assert.Equal("whatever", Text(head.Host, bytes));
    }

    [Fact]
    public void Connect_takes_authority_form()
    {
        byte[] bytes = Bytes("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.Equal(RequestMethod.Connect, head.Method);
        Assert.Equal(RequestTargetForm.Authority, head.TargetForm);
        Assert.Equal("example.com:443", Text(head.Authority, bytes));
        Assert.True(head.Path.IsEmpty);
    }

    [Fact]
    public void Options_takes_asterisk_form()
    {
        byte[] bytes = Bytes("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.Equal(RequestTargetForm.Asterisk, head.TargetForm);
        Assert.Equal("*", Text(head.Target, bytes));
    }

    [Theory]
    [InlineData("GET", RequestMethod.Get)]
    [InlineData("HEAD", RequestMethod.Head)]
    [InlineData("POST", RequestMethod.Post)]
    [InlineData("PUT", RequestMethod.Put)]
    [InlineData("DELETE", RequestMethod.Delete)]
    [InlineData("OPTIONS", RequestMethod.Options)]
    [InlineData("TRACE", RequestMethod.Trace)]
    [InlineData("PATCH", RequestMethod.Patch)]
    [InlineData("get", RequestMethod.Other)]
    [InlineData("PURGE", RequestMethod.Other)]
    [InlineData("M-SEARCH", RequestMethod.Other)]
    public void Methods_are_recognised_case_sensitively(string method, RequestMethod expected)
    {
        byte[] bytes = Bytes(method + " / HTTP/1.1\r\nHost: h\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);
        Assert.Equal(expected, head.Method);
        Assert.Equal(method, Text(head.MethodToken, bytes));
    }

    [Fact]
    public void Pipelined_requests_parse_one_after_another()
    {
        byte[] bytes = Bytes(
            "GET /1 HTTP/1.1\r\nHost: h\r\n\r\n" +
            "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" +
            "GET /3 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" +
            "GET /4 HTT");
        var head = new RequestHead();
        var paths = new List<string>();
        int offset = 0;
        while (true)
        {
            head.Reset();
            ReadOnlySpan<byte> rest = bytes.AsSpan(offset);
            HeadParseResult result = Http1HeadParser.ParseRequest(rest, head);
            if (!result.IsComplete)
            {
                Assert.Equal(HeadParseStatus.NeedMoreBytes, result.Status);
                break;
            }
            paths.Add(Text(head.Path, rest));
            BodyFraming body = BodyFraming.ForRequest(head);
            offset += result.Consumed + (body.Kind == BodyKind.ContentLength ? (int)body.Length : 0);
        }
        Assert.Equal(["/1", "/2", "/3"], paths);
        Assert.Equal("GET /4 HTT", Text(bytes.AsSpan(offset)));
    }

    [Fact]
    public void Header_lookup_is_case_insensitive_and_enumerates_all_occurrences()
    {
        byte[] bytes = Bytes(
            "GET / HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 10.0.0.1\r\nAccept: */*\r\n" +
            "x-forwarded-for:  10.0.0.2 \r\nX-FORWARDED-FOR:10.0.0.3\r\n\r\n");
        var head = new RequestHead();
        Assert.True(Http1HeadParser.ParseRequest(bytes, head).IsComplete);

        var values = new List<string>();
        foreach (ReadOnlySpan<byte> value in head.ValuesOf(bytes, "X-Forwarded-For"u8)) values.Add(Text(value));
        Assert.Equal(["10.0.0.1", "10.0.0.2", "10.0.0.3"], values);

        Assert.True(head.TryGetHeader(bytes, "ACCEPT"u8, out ReadOnlySpan<byte> accept));
        Assert.Equal("*/*", Text(accept));
        Assert.False(head.TryGetHeader(bytes, "Accept-Encoding"u8, out _));
        Assert.Equal(1, head.IndexOfHeader(bytes, "x-forwarded-for"u8));
        Assert.Equal(3, head.IndexOfHeader(bytes, "x-forwarded-for"u8, 2));
        Assert.Equal(-1, head.IndexOfHeader(bytes, "x-forwarded-fo"u8));
    }

    [Fact]
    public void Exactly_max_headers_is_accepted_and_one_more_is_431()
    {
        var limits = new HeadLimits { MaxHeaders = 5 };
        string five = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n";
        Assert.True(Http1HeadParser.ParseRequest(Bytes(five + "\r\n"), new RequestHead(limits)).IsComplete);

        HeadParseResult six = Http1HeadParser.ParseRequest(Bytes(five + "E: 5\r\n\r\n"), new RequestHead(limits));
        Assert.Equal(MessageError.TooManyHeaders, six.Error);
        Assert.Equal(431, six.StatusCode);
    }

    [Fact]
    public void Default_limits_follow_haproxy()
    {
        Assert.Equal(101, HeadLimits.Default.MaxHeaders);
        Assert.Equal(16384, HeadLimits.Default.MaxHeadBytes);
        var builder = new System.Text.StringBuilder("GET / HTTP/1.1\r\nHost: h\r\n");
        for (int i = 1; i < 101; i++) builder.Append($"X-{i}: v\r\n");
        Assert.True(Http1HeadParser.ParseRequest(Bytes(builder + "\r\n"), new RequestHead()).IsComplete);
        Assert.Equal(431, Http1HeadParser.ParseRequest(Bytes(builder + "X-101: v\r\n\r\n"), new RequestHead()).StatusCode);
    }

    [Fact]
    public void A_head_that_does_not_end_within_the_limit_is_431_even_before_it_ends()
    {
        var limits = new HeadLimits { MaxHeadBytes = 64 };
        string start = "GET / HTTP/1.1\r\nHost: h\r\nX-Long: ";
        byte[] exactlyFits = Bytes(start + new string('a', 64 - start.Length - 4) + "\r\n\r\n");
        Assert.Equal(64, exactlyFits.Length);
        Assert.True(Http1HeadParser.ParseRequest(exactlyFits, new RequestHead(limits)).IsComplete);

        byte[] tooLong = Bytes(start + new string('a', 64 - start.Length - 3) + "\r\n\r\n");
        HeadParseResult complete = Http1HeadParser.ParseRequest(tooLong, new RequestHead(limits));
        Assert.Equal((MessageError.HeadTooLarge, 431), (complete.Error, complete.StatusCode));

        // No end in sight and the buffer is at the limit: refused without waiting for more.
        HeadParseResult unfinished = Http1HeadParser.ParseRequest(tooLong.AsSpan(0, 64), new RequestHead(limits));
        Assert.Equal(MessageError.HeadTooLarge, unfinished.Error);
        Assert.Equal(HeadParseStatus.NeedMoreBytes, Http1HeadParser.ParseRequest(tooLong.AsSpan(0, 63), new RequestHead(limits)).Status);
    }

    [Fact]
    public void A_request_line_over_the_limit_is_414()
    {
        var limits = new HeadLimits { MaxRequestLineBytes = 32 };
        string fits = "GET /" + new string('a', 32 - 16) + " HTTP/1.1\r\n";
        Assert.Equal(32, fits.Length);
        Assert.True(Http1HeadParser.ParseRequest(Bytes(fits + "Host: h\r\n\r\n"), new RequestHead(limits)).IsComplete);

        string over = "GET /" + new string('a', 32 - 15) + " HTTP/1.1\r\n";
        HeadParseResult result = Http1HeadParser.ParseRequest(Bytes(over + "Host: h\r\n\r\n"), new RequestHead(limits));
        Assert.Equal((MessageError.RequestLineTooLong, 414), (result.Error, result.StatusCode));

        // A URI still arriving past the limit is refused at once.
        HeadParseResult early = Http1HeadParser.ParseRequest(Bytes("GET /" + new string('a', 40)), new RequestHead(limits));
        Assert.Equal(414, early.StatusCode);
    }

    [Fact]
    public void A_head_trickled_one_byte_at_a_time_into_a_moving_buffer_parses_the_same()
    {
        byte[] bytes = Bytes("POST /x?y HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nX-A: b\r\n\r\nhi");
        var reference = new RequestHead();
        HeadParseResult expected = Http1HeadParser.ParseRequest(bytes, reference);

        var head = new RequestHead();
        HeadParseResult result = default;
        for (int length = 1; length <= bytes.Length; length++)
        {
            byte[] copy = bytes[..length]; // the caller may move the bytes between calls
            result = Http1HeadParser.ParseRequest(copy, head);
            if (result.IsComplete) break;
        }
        Assert.Equal(expected.Consumed, result.Consumed);
        Assert.Equal(Describe(bytes, reference), Describe(bytes, head));
    }

    [Fact]
    public void A_failed_or_complete_head_answers_the_same_until_reset()
    {
        var head = new RequestHead();
        byte[] bad = Bytes("GET / HTTP/1.1\r\nHost : h\r\n\r\n");
        Assert.Equal(MessageError.WhitespaceBeforeColon, Http1HeadParser.ParseRequest(bad, head).Error);
        Assert.Equal(MessageError.WhitespaceBeforeColon, Http1HeadParser.ParseRequest(bad, head).Error);

        head.Reset();
        byte[] good = Bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(good.Length, Http1HeadParser.ParseRequest(good, head).Consumed);
        Assert.Equal(good.Length, Http1HeadParser.ParseRequest(good, head).Consumed);
        Assert.True(head.IsComplete);
    }
}
