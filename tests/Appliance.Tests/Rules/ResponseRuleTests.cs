namespace Appliance.Tests.Rules;

/// <summary>http-response rules: the backend's run first, then the frontend's (HAProxy), over the response head.</summary>
public sealed class ResponseRuleTests
{
    private const string Response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Srv: a, b\r\nX-Srv: c\r\nContent-Type: text/plain\r\n\r\n";

    [Fact]
    public void Backend_rules_run_before_frontend_rules()
    {
        RulesHarness harness = RulesHarness.Load("""
            defaults
             mode http
            frontend f
             bind :8080
             http-response set-header X-Order fe
             http-response add-header X-Seq fe
             default_backend b
            backend b
             http-response set-header X-Order be
             http-response add-header X-Seq be
             server s 127.0.0.1:9000
            """);
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Srv: a, b\r\nX-Srv: c\r\nContent-Type: text/plain\r\nX-Seq: be\r\nX-Order: fe\r\nX-Seq: fe\r\n\r\n",
            harness.Response(Response, "b"));
    }

    [Fact]
    public void Response_conditions_read_the_status_and_the_response_headers()
    {
        RulesHarness harness = RulesHarness.Load("""
            defaults
             mode http
            frontend f
             bind :8080
             acl text res.hdr(content-type) -m beg text/
             http-response set-header Cache-Control no-store if { status 200 } text
             http-response set-header X-Error 1 if { status ge 500 }
             http-response del-header X-Srv unless { shdr_cnt(x-srv) lt 2 }
             http-response add-header X-Src %[src]
             default_backend b
            backend b
             server s 127.0.0.1:9000
            """);
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\nCache-Control: no-store\r\nX-Src: 192.0.2.10\r\n\r\n",
            harness.Response(Response, "b"));
        Assert.Equal(
            "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\nX-Error: 1\r\nX-Src: 192.0.2.10\r\n\r\n",
            harness.Response("HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n", "b"));
    }

    [Fact]
    public void Hdr_reads_the_response_and_values_see_earlier_edits()
    {
        // HAProxy 2.6: res.hdr and hdr both read the response, after the add-header of the rule before.
        RulesHarness harness = RulesHarness.Load("""
            defaults
             mode http
            frontend f
             bind :8080
             http-response add-header X-Srv d
             http-response set-header X-Hdr %[res.hdr(x-srv)]
             http-response set-header X-Hdr2 %[hdr(x-srv,1)]
             http-response replace-header Content-Type text/(.*) application/\1
             default_backend b
            backend b
             server s 127.0.0.1:9000
            """);
        Assert.Equal(
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Srv: a, b\r\nX-Srv: c\r\nX-Srv: d\r\nX-Hdr: d\r\nX-Hdr2: a\r\nContent-Type: application/plain\r\n\r\n",
            harness.Response(Response, "b"));
    }

    [Fact]
    public void Request_fetches_never_match_in_a_response_rule()
    {
        string text = """
            defaults
             mode http
            frontend f
             bind :8080
             acl api path_beg /api
             http-response set-header X-Api 1 if api
             http-response set-header X-Not-Api 1 unless { path_beg /api }
             default_backend b
            backend b
             server s 127.0.0.1:9000
            """;
        Assert.Equal(
            [
                "test.cfg:6: warning: section 'f': keyword 'http-response': ACL 'api' will never match here: its fetch 'path' reads the request line or request headers, which an http-response rule cannot see",
                "test.cfg:7: warning: section 'f': keyword 'http-response': anonymous ACL '{ path_beg /api }' will never match here: its fetch 'path' reads the request line or request headers, which an http-response rule cannot see",
            ],
            RulesHarness.Diagnostics(text));
        Assert.Equal(
            "HTTP/1.1 204 No Content\r\nX-Not-Api: 1\r\n\r\n",
            RulesHarness.Load(text).Response("HTTP/1.1 204 No Content\r\n\r\n", "b"));
    }

    [Fact]
    public void Response_fetches_in_request_rules_are_warned_about()
    {
        Assert.Equal(
            ["test.cfg:5: warning: section 'f': keyword 'http-request': anonymous ACL '{ status 200 }' will never match here: its fetch 'status' reads the response, which is not known when requests are processed"],
            RulesHarness.Diagnostics("defaults\n mode http\nfrontend f\n bind :8080\n http-request set-header X 1 if { status 200 }\n default_backend b\nbackend b\n server s 127.0.0.1:9000\n"));
    }

    [Fact]
    public void A_listen_section_runs_its_response_rules_once()
    {
        RulesHarness harness = RulesHarness.Load("defaults\n mode http\nlisten l\n bind :8080\n http-response add-header X-Count 1\n server s 127.0.0.1:9000\n");
        Assert.Equal("HTTP/1.1 204 No Content\r\nX-Count: 1\r\n\r\n", harness.Response("HTTP/1.1 204 No Content\r\n\r\n", "l", "l"));
    }

    [Fact]
    public void A_failed_response_rewrite_is_reported()
    {
        var rules = new System.Text.StringBuilder();
        for (int i = 0; i < 40; i++) rules.Append($" http-response add-header X-{i} v\n");
        RulesHarness harness = RulesHarness.Load("defaults\n mode http\nfrontend f\n bind :8080\n" + rules + " default_backend b\nbackend b\n server s 127.0.0.1:9000\n");
        Assert.Null(harness.Response("HTTP/1.1 204 No Content\r\n\r\n", "b"));
    }
}
