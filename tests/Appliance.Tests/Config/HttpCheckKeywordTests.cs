using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public sealed class HttpCheckKeywordTests
{
    private const string Server = " server s 127.0.0.1:8080 check\n";

    private static HttpCheckConfig Check(string backendBody) =>
        Assert.IsType<HttpCheckConfig>(SingleBackend(backendBody + Server).HttpCheck);

    private static HttpCheckRequest Request(string method, string uri, string version, params HttpCheckHeader[] headers) =>
        new(method, uri, version, new ValueList<HttpCheckHeader>(headers), null);

    private static HttpCheckExpectation Status(string pattern, bool inverted, params StatusCodeRange[] ranges) =>
        new(HttpCheckMatch.StatusCodes, pattern, inverted, new ValueList<StatusCodeRange>(ranges));

    private static HttpCheckExpectation Expect(HttpCheckMatch match, string pattern, bool inverted = false) =>
        new(match, pattern, inverted, ValueList<StatusCodeRange>.Empty);

    [Fact]
    public void Without_option_httpchk_a_backend_has_no_http_check()
    {
        Assert.Null(SingleBackend(Server).HttpCheck);
    }

    [Theory]
    [InlineData("option httpchk", "OPTIONS", "/", "HTTP/1.0")]
    [InlineData("option httpchk /health", "OPTIONS", "/health", "HTTP/1.0")]
    [InlineData("option httpchk GET /health", "GET", "/health", "HTTP/1.0")]
    [InlineData("option httpchk HEAD /health?full=1 HTTP/1.1", "HEAD", "/health?full=1", "HTTP/1.1")]
    public void Option_httpchk_forms_set_the_request_line(string line, string method, string uri, string version)
    {
        var check = Check(" " + line + "\n");
        Assert.Equal(Request(method, uri, version), check.Request);
        Assert.Equal([HttpCheckConfig.DefaultExpectation], check.Expectations);
        Assert.Equal(new StatusCodeRange(200, 399), Assert.Single(check.Expectations[0].StatusCodes));
        Assert.Null(check.ConnectPort);
        Assert.True(check.UsesServerCheckOptions);
    }

    [Fact]
    public void Plain_option_httpchk_is_the_default_check()
    {
        Assert.Equal(HttpCheckConfig.Default, Check(" option httpchk\n"));
    }

    [Fact]
    public void Headers_after_the_version_still_work_with_a_deprecation_warning()
    {
        var result = Load("backend b\n option httpchk GET /health HTTP/1.1\\r\\nHost:\\ example.com\\r\\nX-Check:\\ 1\n" + Server);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(Request("GET", "/health", "HTTP/1.1", new HttpCheckHeader("Host", "example.com"), new HttpCheckHeader("X-Check", "1")),
            result.Config!.Backends[0].HttpCheck!.Request);
        var warning = Assert.Single(result.Warnings);
        Assert.StartsWith("test.cfg:2: warning: section 'b': keyword 'option httpchk': headers or a body after the version are deprecated", warning.ToString());
    }

    [Fact]
    public void Http_check_send_sets_method_uri_version_headers_and_body()
    {
        var check = Check(" option httpchk\n http-check send meth POST uri /ping ver HTTP/1.1 hdr Host example.com hdr X-Probe \"a b\" body {} comment probe\n");
        Assert.Equal(new HttpCheckRequest("POST", "/ping", "HTTP/1.1",
            new ValueList<HttpCheckHeader>([new HttpCheckHeader("Host", "example.com"), new HttpCheckHeader("X-Probe", "a b")]), "{}"), check.Request);
    }

    [Fact]
    public void Http_check_send_overrides_only_what_it_sets_and_replaces_the_headers()
    {
        var check = Check(" option httpchk GET /old HTTP/1.1\\r\\nHost:\\ old\n http-check send uri /new\n");
        Assert.Equal(Request("GET", "/new", "HTTP/1.1"), check.Request);
    }

    [Fact]
    public void Option_httpchk_written_after_send_merges_into_it()
    {
        var check = Check(" http-check send hdr Host a.example ver HTTP/1.1\n option httpchk GET /health\n");
        // HAProxy's merge: the later line's parts win and its (empty) header list replaces the earlier one.
        Assert.Equal(Request("GET", "/health", "HTTP/1.1"), check.Request);
    }

    [Fact]
    public void A_second_option_httpchk_replaces_the_first()
    {
        Assert.Equal(Request("OPTIONS", "/b", "HTTP/1.0"), Check(" option httpchk GET /a\n option httpchk /b\n").Request);
    }

    [Fact]
    public void Send_without_option_httpchk_applies_once_defaults_enable_it()
    {
        var config = LoadValid("defaults\n option httpchk\nbackend b\n http-check send meth GET uri /ready\n" + Server);
        Assert.Equal(Request("GET", "/ready", "HTTP/1.0"), config.Backends[0].HttpCheck!.Request);
    }

    [Theory]
    [InlineData("status 200", HttpCheckMatch.StatusCodes, "200", false)]
    [InlineData("! status 200", HttpCheckMatch.StatusCodes, "200", true)]
    [InlineData("!status 200", HttpCheckMatch.StatusCodes, "200", true)]
    [InlineData("!!status 200", HttpCheckMatch.StatusCodes, "200", false)]
    [InlineData("rstatus ^2[0-9]{2}$", HttpCheckMatch.StatusRegex, "^2[0-9]{2}$", false)]
    [InlineData("string ready", HttpCheckMatch.BodyText, "ready", false)]
    [InlineData("! string maintenance", HttpCheckMatch.BodyText, "maintenance", true)]
    [InlineData("comment body-check ! rstring \"\\\"status\\\": *\\\"ok\\\"\"", HttpCheckMatch.BodyRegex, "\"status\": *\"ok\"", true)]
    public void Expect_forms(string arguments, HttpCheckMatch match, string pattern, bool inverted)
    {
        var expectation = Assert.Single(Check(" option httpchk\n http-check expect " + arguments + "\n").Expectations);
        Assert.Equal((match, pattern, inverted), (expectation.Match, expectation.Pattern, expectation.Inverted));
    }

    [Theory]
    [InlineData("200", new[] { 200, 200 })]
    [InlineData("200,302", new[] { 200, 200, 302, 302 })]
    [InlineData("200-399", new[] { 200, 399 })]
    [InlineData("200-299,304,401-403", new[] { 200, 299, 304, 304, 401, 403 })]
    public void Status_lists_take_codes_and_ranges(string pattern, int[] bounds)
    {
        var expectation = Assert.Single(Check(" option httpchk\n http-check expect status " + pattern + "\n").Expectations);
        var expected = Enumerable.Range(0, bounds.Length / 2).Select(i => new StatusCodeRange(bounds[2 * i], bounds[2 * i + 1]));
        Assert.Equal(expected, expectation.StatusCodes);
    }

    [Fact]
    public void Several_expectations_keep_their_order()
    {
        var check = Check(" option httpchk GET /\n http-check expect status 200\n http-check expect ! string DOWN\n");
        Assert.Equal([Status("200", false, new StatusCodeRange(200, 200)), Expect(HttpCheckMatch.BodyText, "DOWN", inverted: true)],
            check.Expectations);
    }

    [Fact]
    public void Connect_sets_the_port_and_drops_the_server_check_options_without_default()
    {
        var check = Check(" option httpchk\n http-check connect port 9000 linger\n http-check send uri /h\n http-check expect status 200\n");
        Assert.Equal(9000, check.ConnectPort);
        Assert.False(check.UsesServerCheckOptions);
        Assert.True(check.Linger);

        var withDefault = Check(" option httpchk\n http-check connect default\n");
        Assert.Null(withDefault.ConnectPort);
        Assert.True(withDefault.UsesServerCheckOptions);
    }

    [Fact]
    public void Server_port_option_is_the_check_port()
    {
        var backend = SingleBackend("default-server port 9100\n server a 127.0.0.1:80 check\n server b 127.0.0.1:81 check port 9101\n");
        Assert.Equal([9100, 9101], backend.Servers.Select(s => s.CheckPort!.Value));
    }

    [Fact]
    public void A_backend_inherits_the_whole_check_from_defaults()
    {
        var config = LoadValid("defaults\n option httpchk GET /health\n http-check expect status 200\nbackend b\n" + Server + "backend c\n" + Server);
        var expected = new HttpCheckConfig(Request("GET", "/health", "HTTP/1.0"),
            new ValueList<HttpCheckExpectation>([Status("200", false, new StatusCodeRange(200, 200))]));
        Assert.Equal([expected, expected], config.Backends.Select(b => b.HttpCheck));
    }

    [Fact]
    public void Own_check_lines_replace_the_inherited_rule_set_whole()
    {
        var config = LoadValid("defaults\n option httpchk GET /health\n http-check expect status 200\n" +
            "backend own_option\n option httpchk /other\n" + Server +
            "backend own_expect\n http-check expect string ok\n" + Server);
        // HAProxy keeps one rule list per section: a backend's own lines start a new one.
        Assert.Equal(new HttpCheckConfig(Request("OPTIONS", "/other", "HTTP/1.0"), new ValueList<HttpCheckExpectation>([HttpCheckConfig.DefaultExpectation])),
            config.Backends[0].HttpCheck);
        Assert.Equal(new HttpCheckConfig(HttpCheckRequest.Default, new ValueList<HttpCheckExpectation>([Expect(HttpCheckMatch.BodyText, "ok")])),
            config.Backends[1].HttpCheck);
    }

    [Fact]
    public void A_later_defaults_section_does_not_change_an_earlier_backend()
    {
        var config = LoadValid("defaults\n option httpchk /a\nbackend b\n" + Server + "defaults\nbackend c\n" + Server);
        Assert.Equal("/a", config.Backends[0].HttpCheck!.Request.Uri);
        Assert.Null(config.Backends[1].HttpCheck);
    }

    [Fact]
    public void Http_check_rules_without_option_httpchk_are_ignored_with_a_warning()
    {
        var result = Load("defaults\n http-check expect status 200\nbackend b\n" + Server + "backend c\n" + Server);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Null(result.Config!.Backends[0].HttpCheck);
        Assert.Equal(["test.cfg:2: warning: section 'defaults': keyword 'http-check expect': ignored: 'option httpchk' is not enabled, so servers get a TCP connect check"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void In_a_frontend_the_keywords_are_ignored_with_a_warning()
    {
        var warnings = Warnings("frontend f\n bind :80\n option httpchk\n default_backend b\nbackend b\n" + Server);
        Assert.Equal(["test.cfg:3: warning: section 'f': keyword 'option httpchk': ignored: a frontend has no backend capability"], warnings);
    }

    [Theory]
    [InlineData(" option httpchk GET / HTTP/1.1 extra", "option httpchk", "unexpected argument 'extra'; usage: option httpchk [[<method>] <uri> [<version>]]")]
    [InlineData(" option httpchk GET /a\\ b", "option httpchk", "invalid URI '/a b' (spaces and control characters are not allowed)")]
    [InlineData(" option httpchk G(T /", "option httpchk", "invalid method 'G(T' (expected a token such as GET, HEAD or OPTIONS)")]
    [InlineData(" option httpchk GET / HTTP/2", "option httpchk", "invalid HTTP version 'HTTP/2' (expected HTTP/1.0 or HTTP/1.1)")]
    [InlineData(" option httpchk GET / HTTP/1.1\\r\\nbroken", "option httpchk", "invalid header line 'broken' after the version (expected 'Name: value')")]
    [InlineData(" no option httpchk", "option httpchk", "cannot be negated with 'no'")]
    [InlineData(" http-check send meth", "http-check send", "'meth' needs a value")]
    [InlineData(" http-check send hdr Host", "http-check send", "'hdr' needs a name and a value")]
    [InlineData(" http-check send hdr Host a hdr host b", "http-check send", "header 'host' is given twice (first value 'a')")]
    [InlineData(" http-check send hdr X-Id %[rand]", "http-check send", "header 'X-Id': log-format expressions ('%') are not supported yet; write '%%' for a literal '%'")]
    [InlineData(" http-check send ur /x", "http-check send", "unknown option 'ur' (expected meth, uri, ver, hdr, body or comment); did you mean 'uri'?")]
    [InlineData(" http-check send uri-lf /%[var(x)]", "http-check send", "option 'uri-lf' is not supported yet (log-format expressions)")]
    [InlineData(" http-check send ver HTTP/1.2", "http-check send", "invalid HTTP version 'HTTP/1.2' (expected HTTP/1.0 or HTTP/1.1)")]
    [InlineData(" http-check expect", "http-check expect", "missing match (expected [!] status <codes>, rstatus <regex>, string <text> or rstring <regex>)")]
    [InlineData(" http-check expect status", "http-check expect", "'status' needs a value")]
    [InlineData(" http-check expect status 2xx", "http-check expect", "invalid status code '2xx' in '2xx' (expected codes from 100 to 999, e.g. 200,302 or 200-399)")]
    [InlineData(" http-check expect status 200,", "http-check expect", "invalid status code '' in '200,' (expected codes from 100 to 999, e.g. 200,302 or 200-399)")]
    [InlineData(" http-check expect status 399-200", "http-check expect", "invalid status code range '399-200' in '399-200': 399 is above 200")]
    [InlineData(" http-check expect rstring (unclosed", "http-check expect", "invalid regular expression '(unclosed': ")]
    [InlineData(" http-check expect status 200 string ok", "http-check expect", "only one match per line: 'string' follows another match")]
    [InlineData(" http-check expect status 200 !", "http-check expect", "'!' must come before the match it inverts")]
    [InlineData(" http-check expect ! comment x status 200", "http-check expect", "'!' applies to the match only; it cannot precede 'comment'")]
    [InlineData(" http-check expect stauts 200", "http-check expect", "unexpected 'stauts' (expected [!] status <codes>, rstatus <regex>, string <text> or rstring <regex>); did you mean 'status'?")]
    [InlineData(" http-check expect hdr name Server", "http-check expect", "match 'hdr' is not supported yet (supported: [!] status <codes>, rstatus <regex>, string <text> or rstring <regex>)")]
    [InlineData(" http-check expect min-recv 10 string ok", "http-check expect", "option 'min-recv' is not supported yet")]
    [InlineData(" http-check connect ssl", "http-check connect", "option 'ssl' is not supported yet")]
    [InlineData(" http-check connect port 70000", "http-check connect", "'port': value 70000 is out of range (1..65535)")]
    [InlineData(" http-check connect prot 80", "http-check connect", "unknown option 'prot' (expected default, port <port>, linger or comment <msg>); did you mean 'port'?")]
    [InlineData(" http-check expect status 200\n http-check connect", "http-check connect", "'http-check connect' must come before 'http-check send' and 'http-check expect'")]
    [InlineData(" http-check connect\n http-check connect", "http-check connect", "only one connection per check is supported yet (a second 'http-check connect')")]
    [InlineData(" http-check expect status 200\n http-check send uri /", "http-check send", "a second request per check is not supported yet: 'http-check send' must come before 'http-check expect'")]
    [InlineData(" http-check send uri /\n http-check send uri /", "http-check send", "only one request per check is supported yet: 'http-check send' is already written at test.cfg:3")]
    [InlineData(" http-check comment", "http-check comment", "missing argument; usage: http-check comment <msg>")]
    [InlineData(" http-check frobnicate", "http-check", "unknown http-check 'frobnicate'")]
    public void Bad_forms_are_errors_with_file_line_section_and_keyword(string lines, string keyword, string message)
    {
        string text = "backend web\n option httpchk\n" + lines + "\n" + Server;
        int line = 2 + lines.Split('\n').Length;
        string error = SingleError(text);
        string expected = $"test.cfg:{line}: section 'web': keyword '{keyword}': {message}";
        if (message.EndsWith(": ", StringComparison.Ordinal)) Assert.StartsWith(expected, error);
        else Assert.Equal(expected, error);
    }

    [Fact]
    public void Content_length_and_transfer_encoding_headers_are_dropped_with_a_warning()
    {
        var result = Load("backend b\n option httpchk\n http-check send hdr Content-Length 5 body hello\n" + Server);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Config!.Backends[0].HttpCheck!.Request.Headers);
        Assert.Equal(["test.cfg:3: warning: section 'b': keyword 'http-check send': header 'Content-Length' ignored: the check sets the body length itself"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Percent_signs_are_written_doubled()
    {
        var check = Check(" option httpchk\n http-check send hdr X-Load 50%%\n");
        Assert.Equal(new HttpCheckHeader("X-Load", "50%"), Assert.Single(check.Request.Headers));
    }

    [Fact]
    public void The_check_is_part_of_backend_equality()
    {
        string text = "backend b\n option httpchk GET /h\n http-check expect status 200-299\n" + Server;
        Assert.Equal(LoadValid(text).Backends[0], LoadValid(text).Backends[0]);
        Assert.NotEqual(LoadValid(text).Backends[0], LoadValid(text.Replace("200-299", "200-399", StringComparison.Ordinal)).Backends[0]);
    }
}
