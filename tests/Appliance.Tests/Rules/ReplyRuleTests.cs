using Appliance.Rules;

namespace Appliance.Tests.Rules;

/// <summary>
/// deny, return and redirect: the verdict and the exact bytes answered. Layouts follow HAProxy 2.6's
/// (checked against it), plus <c>connection: close</c> since the session closes after answering.
/// </summary>
public sealed class ReplyRuleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rules-reply").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static RequestResult Play(string rules, string request = "GET /x?y=1 HTTP/1.1\r\nHost: h\r\n\r\n") =>
        RulesHarness.Load("defaults\n mode http\nfrontend f\n bind :8080\n" + rules + " default_backend b\nbackend b\n server s 127.0.0.1:9000\n")
            .Request(request);

    private string File(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void Deny_answers_the_built_in_403_page()
    {
        RequestResult result = Play(" http-request deny\n");
        Assert.Equal(RuleVerdict.Deny, result.Verdict);
        Assert.Equal(403, result.Status);
        const string body = "<html><body><h1>403 Forbidden</h1>\nThe request is forbidden by the proxy's rules.\n</body></html>\n";
        Assert.Equal(
            $"HTTP/1.1 403 Forbidden\r\ncontent-length: {body.Length}\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nconnection: close\r\n\r\n{body}",
            result.Response);
    }

    [Theory]
    [InlineData("deny_status 429", 429, "HTTP/1.1 429 Too Many Requests\r\n")]
    [InlineData("deny_status 404", 404, "HTTP/1.1 404 Not Found\r\n")]
    [InlineData("status 503 default-errorfiles", 503, "HTTP/1.1 503 Service Unavailable\r\n")]
    public void Deny_status_picks_the_proxy_page(string options, int status, string statusLine)
    {
        RequestResult result = Play($" http-request deny {options}\n");
        Assert.Equal(status, result.Status);
        Assert.StartsWith(statusLine, result.Response);
        Assert.Contains("cache-control: no-cache\r\ncontent-type: text/html\r\n", result.Response);
    }

    [Fact]
    public void Deny_with_a_payload_is_a_custom_reply()
    {
        RequestResult result = Play(" http-request deny status 429 content-type text/plain string slow\\ down hdr Retry-After 10\n");
        Assert.Equal(RuleVerdict.Deny, result.Verdict);
        Assert.Equal(
            "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 10\r\ncontent-length: 9\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nslow down",
            result.Response);
    }

    [Fact]
    public void Return_forms()
    {
        Assert.Equal("HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n", Play(" http-request return\n").Response);
        Assert.Equal("HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n", Play(" http-request return status 204\n").Response);
        RequestResult hello = Play(" http-request return status 201 content-type text/plain string hello hdr X-R 1\n");
        Assert.Equal(RuleVerdict.Return, hello.Verdict);
        Assert.Equal(201, hello.Status);
        Assert.Equal("HTTP/1.1 201 Created\r\nX-R: 1\r\ncontent-length: 5\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nhello", hello.Response);
    }

    [Fact]
    public void Return_file_and_errorfile()
    {
        string body = File("body.txt", "body-from-file\n");
        Assert.Equal("HTTP/1.1 200 OK\r\ncontent-length: 15\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nbody-from-file\n",
            Play($" http-request return content-type text/plain file {body}\n").Response);
        string page = File("503.http", "HTTP/1.1 503 Sorry\r\nContent-Length: 5\r\n\r\nsorry");
        RequestResult result = Play($" http-request return status 503 errorfile {page}\n");
        Assert.Equal(503, result.Status);
        Assert.Equal("HTTP/1.1 503 Sorry\r\nContent-Length: 5\r\n\r\nsorry", result.Response);
    }

    [Fact]
    public void A_plain_deny_uses_the_errorfile_of_the_proxy_whose_rule_runs_then_the_frontend()
    {
        string frontendPage = File("fe403.http", "HTTP/1.1 403 Frontend\r\nContent-Length: 2\r\n\r\nfe");
        string backendPage = File("be403.http", "HTTP/1.1 403 Backend\r\nContent-Length: 2\r\n\r\nbe");
        RulesHarness harness = RulesHarness.Load($$"""
            defaults
             mode http
            frontend f
             bind :8080
             errorfile 403 {{frontendPage}}
             http-request deny if { path /fdeny }
             use_backend plain if { path_beg /plain }
             default_backend custom
            backend custom
             errorfile 403 {{backendPage}}
             http-request deny if { path /bdeny }
             server s 127.0.0.1:9000
            backend plain
             http-request deny
             server s 127.0.0.1:9001
            """);
        Assert.Equal("HTTP/1.1 403 Frontend\r\nContent-Length: 2\r\n\r\nfe", harness.Request("GET /fdeny HTTP/1.1\r\nHost: h\r\n\r\n").Response);
        Assert.Equal("HTTP/1.1 403 Backend\r\nContent-Length: 2\r\n\r\nbe", harness.Request("GET /bdeny HTTP/1.1\r\nHost: h\r\n\r\n").Response);
        Assert.Equal("HTTP/1.1 403 Frontend\r\nContent-Length: 2\r\n\r\nfe", harness.Request("GET /plain HTTP/1.1\r\nHost: h\r\n\r\n").Response);
    }

    [Fact]
    public void Redirect_location_is_prepared_once()
    {
        RequestResult result = Play(" http-request redirect location /new code 301\n");
        Assert.Equal(RuleVerdict.Redirect, result.Verdict);
        Assert.Equal(301, result.Status);
        Assert.Equal("HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: /new\r\nconnection: close\r\n\r\n", result.Response);
    }

    [Theory]
    [InlineData("prefix https://example.com drop-query append-slash set-cookie SEEN=1", "GET /pfx/a?q=1 HTTP/1.1\r\nHost: h\r\n\r\n",
        "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://example.com/pfx/a/\r\ncache-control: no-cache\r\nset-cookie: SEEN=1; path=/;\r\nconnection: close\r\n\r\n")]
    [InlineData("prefix /", "GET /self/a?q=1 HTTP/1.1\r\nHost: h\r\n\r\n",
        "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: /self/a?q=1\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n")]
    [InlineData("scheme https", "GET /sch/a?q=1 HTTP/1.1\r\nHost: h:80\r\n\r\n",
        "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://h:80/sch/a?q=1\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n")]
    [InlineData("scheme https code 308 clear-cookie USER=", "GET /clr HTTP/1.0\r\n\r\n",
        "HTTP/1.1 308 Permanent Redirect\r\ncontent-length: 0\r\nlocation: https:///clr\r\nset-cookie: USER=; path=/; Max-Age=0;\r\nconnection: close\r\n\r\n")]
    [InlineData("scheme https", "GET http://abs.example/sch/z?k HTTP/1.1\r\nHost: abs.example\r\n\r\n",
        "HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: https://abs.example/sch/z?k\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n")]
    [InlineData("location https://%[hdr(host)]/x%[path] code 303", "GET /dyn/a?b HTTP/1.1\r\nHost: ex.com\r\n\r\n",
        "HTTP/1.1 303 See Other\r\ncontent-length: 0\r\nlocation: https://ex.com/x/dyn/a\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n")]
    [InlineData("code 307 prefix /v2", "GET /a HTTP/1.1\r\nHost: h\r\n\r\n",
        "HTTP/1.1 307 Temporary Redirect\r\ncontent-length: 0\r\nlocation: /v2/a\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n")]
    public void Redirects_compose_their_location_from_the_request(string rule, string request, string expected)
    {
        RequestResult result = Play($" http-request redirect {rule}\n", request);
        Assert.Equal(RuleVerdict.Redirect, result.Verdict);
        Assert.Equal(expected, result.Response);
    }

    [Fact]
    public void Ignore_empty_skips_the_rule_when_the_location_is_empty()
    {
        const string rules = " http-request redirect location %[req.hdr(x-loc)] ignore-empty\n";
        Assert.Equal(RuleVerdict.Continue, Play(rules, "GET /ign HTTP/1.1\r\nHost: h\r\n\r\n").Verdict);
        Assert.Equal("HTTP/1.1 302 Found\r\ncontent-length: 0\r\nlocation: /there\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n",
            Play(rules, "GET /ign HTTP/1.1\r\nHost: h\r\nX-Loc: /there\r\n\r\n").Response);
    }

    [Fact]
    public void A_reply_stops_the_rules_and_keeps_no_edit_for_forwarding()
    {
        RequestResult result = Play(" http-request set-header X-A 1\n http-request return status 200 if { path_beg /x }\n http-request deny\n");
        Assert.Equal(RuleVerdict.Return, result.Verdict);
    }

    [Fact]
    public void Standalone_redirect_runs_after_the_http_request_rules_wherever_it_is_written()
    {
        const string rules = " redirect prefix /v2 code 301 if { path_beg /old }\n http-request deny if { path /old/deny }\n";
        RequestResult redirected = Play(rules, "GET /old/a?q=1 HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(RuleVerdict.Redirect, redirected.Verdict);
        Assert.Equal("HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: /v2/old/a?q=1\r\nconnection: close\r\n\r\n",
            redirected.Response);
        Assert.Equal(RuleVerdict.Deny, Play(rules, "GET /old/deny HTTP/1.1\r\nHost: h\r\n\r\n").Verdict);
        Assert.Equal(RuleVerdict.Continue, Play(rules, "GET /new HTTP/1.1\r\nHost: h\r\n\r\n").Verdict);
    }
}
