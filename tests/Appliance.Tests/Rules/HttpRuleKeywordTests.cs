using Appliance.Config.Model;
using Appliance.Tests.Config;

namespace Appliance.Tests.Rules;

/// <summary>Parsing of <c>http-request</c> / <c>http-response</c> into the immutable model, and every refusal with its message.</summary>
public sealed class HttpRuleKeywordTests
{
    private static string Frontend(string rules) => "defaults\n mode http\nfrontend f\n bind :8080\n" + rules + " default_backend b\nbackend b\n server s 127.0.0.1:9000\n";

    private static HttpRule RequestRule(string line) => Assert.Single(ConfigTestSupport.LoadValid(Frontend($" http-request {line}\n")).Frontends[0].HttpRequestRules);

    private static string Error(string line) => ConfigTestSupport.SingleError(Frontend($" http-request {line}\n"));

    public static TheoryData<string, HttpRuleAction> RequestForms => new()
    {
        { "set-header X-A v", new SetHeaderAction("X-A", "v") },
        { "set-header X-A %[src]", new SetHeaderAction("X-A", "%[src]") },
        { "add-header Via \"1.1 appliance\"", new AddHeaderAction("Via", "1.1 appliance") },
        { "del-header X-A", new DeleteHeaderAction("X-A", HeaderNameMatch.Exact) },
        { "del-header x- -m beg", new DeleteHeaderAction("x-", HeaderNameMatch.Prefix) },
        { "del-header -id -m end", new DeleteHeaderAction("-id", HeaderNameMatch.Suffix) },
        { "del-header debug -m sub", new DeleteHeaderAction("debug", HeaderNameMatch.Substring) },
        { "del-header ^x-(a|b)$ -m reg", new DeleteHeaderAction("^x-(a|b)$", HeaderNameMatch.Regex) },
        { "del-header X-A -m str", new DeleteHeaderAction("X-A", HeaderNameMatch.Exact) },
        { "replace-header User-Agent ^curl(.*) wget\\1", new ReplaceHeaderAction("User-Agent", "^curl(.*)", "wget\\1") },
        { "set-path /v2%[path]", new SetPathAction("/v2%[path]") },
        { "replace-path /foo/(.*) /\\1", new ReplacePathAction("/foo/(.*)", "/\\1") },
        { "allow", new AllowAction() },
        { "deny", new DenyAction(new HttpReplyConfig(403, null, HttpReplyBodyKind.ProxyErrorPage, ValueList<byte>.Empty, ValueList<HttpReplyHeader>.Empty)) },
        { "deny deny_status 429", new DenyAction(new HttpReplyConfig(429, null, HttpReplyBodyKind.ProxyErrorPage, ValueList<byte>.Empty, ValueList<HttpReplyHeader>.Empty)) },
        // Only "deny_status" implies the error page; "status" alone is an empty reply (HAProxy).
        { "deny status 429", new DenyAction(new HttpReplyConfig(429, null, HttpReplyBodyKind.Empty, ValueList<byte>.Empty, ValueList<HttpReplyHeader>.Empty)) },
        { "deny status 503 default-errorfiles", new DenyAction(new HttpReplyConfig(503, null, HttpReplyBodyKind.ProxyErrorPage, ValueList<byte>.Empty, ValueList<HttpReplyHeader>.Empty)) },
        { "return", new ReturnAction(new HttpReplyConfig(200, null, HttpReplyBodyKind.Empty, ValueList<byte>.Empty, ValueList<HttpReplyHeader>.Empty)) },
        {
            "return status 201 content-type text/plain string hi hdr X-R 1",
            new ReturnAction(new HttpReplyConfig(201, "text/plain", HttpReplyBodyKind.Payload, new ValueList<byte>("hi"u8.ToArray()),
                new ValueList<HttpReplyHeader>([new HttpReplyHeader("X-R", "1")])))
        },
        { "redirect location /new", new RedirectAction(RedirectKind.Location, "/new") },
        { "redirect code 301 prefix / drop-query append-slash", new RedirectAction(RedirectKind.Prefix, "/", 301, DropQuery: true, AppendSlash: true) },
        { "redirect scheme https code 308 ignore-empty", new RedirectAction(RedirectKind.Scheme, "https", 308, IgnoreEmpty: true) },
        { "redirect location / set-cookie SEEN=1", new RedirectAction(RedirectKind.Location, "/", Cookie: "SEEN=1; path=/;") },
        { "redirect location / clear-cookie USER=", new RedirectAction(RedirectKind.Location, "/", Cookie: "USER=; path=/; Max-Age=0;") },
    };

    [Theory]
    [MemberData(nameof(RequestForms))]
    public void Request_actions_parse_into_the_model(string line, HttpRuleAction expected)
    {
        HttpRule rule = RequestRule(line);
        Assert.Equal(expected, rule.Action);
        Assert.Null(rule.Condition);
        Assert.Equal(new SourceLocation(ConfigTestSupport.FileName, 5), rule.Location);
    }

    [Theory]
    [InlineData("set-header X v if acl1", false, new[] { "acl1" })]
    [InlineData("deny unless { path_beg /a } || b", true, new[] { "{", "path_beg", "/a", "}", "||", "b" })]
    [InlineData("return status 200 if TRUE", false, new[] { "TRUE" })]
    [InlineData("redirect scheme https code 301 if !secure", false, new[] { "!secure" })]
    public void Conditions_follow_the_action(string line, bool unless, string[] terms)
    {
        string text = Frontend(" acl acl1 path /\n acl b path /\n acl secure path /\n" + $" http-request {line}\n");
        HttpRule rule = Assert.Single(ConfigTestSupport.LoadValid(text).Frontends[0].HttpRequestRules);
        Assert.Equal(new ConditionConfig(unless, new ValueList<string>(terms)), rule.Condition);
    }

    [Fact]
    public void Response_rules_and_order_are_kept_per_section()
    {
        var config = ConfigTestSupport.LoadValid("""
            defaults
             mode http
            frontend f
             bind :8080
             http-response set-header X-1 a
             http-response del-header Server
             http-request set-header X-2 b
             default_backend b
            backend b
             acl api path_beg /api
             http-request add-header X-3 c if api
             http-response add-header X-4 d
             server s 127.0.0.1:9000
            """);
        Assert.Equal([new SetHeaderAction("X-1", "a"), new DeleteHeaderAction("Server", HeaderNameMatch.Exact)],
            config.Frontends[0].HttpResponseRules.Select(r => r.Action));
        Assert.Equal([new SetHeaderAction("X-2", "b")], config.Frontends[0].HttpRequestRules.Select(r => r.Action));
        Assert.Equal([new AddHeaderAction("X-3", "c")], config.Backends[0].HttpRequestRules.Select(r => r.Action));
        Assert.Equal([new AddHeaderAction("X-4", "d")], config.Backends[0].HttpResponseRules.Select(r => r.Action));
        Assert.Equal("api", Assert.Single(config.Backends[0].Acls).Name);
    }

    [Theory]
    [InlineData("", "missing action; usage: http-request <action> [options...] [if|unless <condition>]")]
    [InlineData("frob", "unknown action 'frob' (supported: add-header, allow, del-header, deny, redirect, replace-header, replace-path, return, set-header, set-path, use-service)")]
    [InlineData("set-heder X v", "unknown action 'set-heder' (supported: add-header, allow, del-header, deny, redirect, replace-header, replace-path, return, set-header, set-path, use-service); did you mean 'set-header'?")]
    [InlineData("auth realm x", "action 'auth' is not supported yet in http-request rules")]
    [InlineData("set-var(txn.x) str(a)", "action 'set-var' is not supported yet in http-request rules")]
    [InlineData("set-header X", "missing argument; usage: http-request set-header <name> <fmt> [if|unless <condition>]")]
    [InlineData("set-header X a b", "unexpected 'b' (expected 'if' or 'unless' followed by a condition)")]
    [InlineData("set-header X-A v if", "missing condition after 'if'")]
    [InlineData("set-header \"X A\" v", "invalid header name 'X A'")]
    [InlineData("set-header Content-Length 5", "'Content-Length' cannot be rewritten: the proxy reads the message framing from the received head")]
    [InlineData("del-header transfer-encoding", "'transfer-encoding' cannot be rewritten: the proxy reads the message framing from the received head")]
    [InlineData("del-header", "missing argument; usage: http-request del-header <name> [-m str|beg|end|sub|reg] [if|unless <condition>]")]
    [InlineData("del-header X -m", "missing matching method after '-m' (expected str, beg, end, sub or reg)")]
    [InlineData("del-header X -m foo", "unknown matching method 'foo' after '-m' (expected str, beg, end, sub or reg)")]
    [InlineData("del-header X -n", "unexpected '-n' (expected '-m <method>', 'if' or 'unless')")]
    [InlineData("replace-header X a", "missing argument; usage: http-request replace-header <name> <regex> <replacement> [if|unless <condition>]")]
    [InlineData("set-path", "missing argument; usage: http-request set-path <fmt> [if|unless <condition>]")]
    [InlineData("set-path v2", "invalid path 'v2' (a path starts with '/')")]
    [InlineData("replace-path /foo", "missing argument; usage: http-request replace-path <match-regex> <replace-fmt> [if|unless <condition>]")]
    [InlineData("allow now", "unexpected 'now' (expected 'if' or 'unless' followed by a condition)")]
    [InlineData("deny deny_status", "'deny_status' expects a value; usage: http-request deny [deny_status|status <code>] [content-type <type>] [string <str>|file <file>|errorfile <file>|default-errorfiles] [hdr <name> <value>]* [if|unless <condition>]")]
    [InlineData("deny deny_status 418", "status code 418 has no error page (expected one of: 200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504)")]
    [InlineData("return status 700", "unexpected status code 700 (expected 200 to 599)")]
    [InlineData("return status abc", "invalid status code 'abc' (expected 200 to 599)")]
    [InlineData("return deny_status 403", "unexpected 'deny_status'; usage: http-request return [status <code>] [content-type <type>] [string <str>|file <file>|errorfile <file>|default-errorfiles] [hdr <name> <value>]* [if|unless <condition>]")]
    [InlineData("return string hi", "a non-empty payload needs its type: add 'content-type <type>'")]
    [InlineData("return status 204 content-type text/plain string hi", "a 204 response has no body")]
    [InlineData("return string a file b", "unexpected 'file': 'string' already defines the response")]
    [InlineData("return lf-string %[path] content-type text/plain", "'lf-string' is not supported yet")]
    [InlineData("return content-type text/plain file /nonexistent/body.txt", "cannot read file '/nonexistent/body.txt': file not found")]
    [InlineData("return hdr X-A", "'hdr' expects a name and a value; usage: http-request return [status <code>] [content-type <type>] [string <str>|file <file>|errorfile <file>|default-errorfiles] [hdr <name> <value>]* [if|unless <condition>]")]
    [InlineData("return hdr X-Id %[src]", "'hdr X-Id': log-format values are not supported yet in replies (write a literal value)")]
    [InlineData("redirect", "missing 'location', 'prefix' or 'scheme'; usage: http-request redirect location|prefix|scheme <target> [code 301|302|303|307|308] [drop-query] [append-slash] [ignore-empty] [set-cookie <name>[=<value>]] [clear-cookie <name>[=]] [if|unless <condition>]")]
    [InlineData("redirect foo /x", "unexpected 'foo' (expected location, prefix, scheme, code, drop-query, append-slash, ignore-empty, set-cookie or clear-cookie)")]
    [InlineData("redirect location /x code 305", "unsupported redirect code '305' (expected 301, 302, 303, 307 or 308)")]
    [InlineData("redirect location", "'location' expects a value; usage: http-request redirect location|prefix|scheme <target> [code 301|302|303|307|308] [drop-query] [append-slash] [ignore-empty] [set-cookie <name>[=<value>]] [clear-cookie <name>[=]] [if|unless <condition>]")]
    [InlineData("redirect location /a prefix /b", "unexpected 'prefix': the redirect already has a location")]
    public void Request_rule_errors(string line, string message)
    {
        Assert.Equal($"test.cfg:5: section 'f': keyword 'http-request': {message}", Error(line));
    }

    [Theory]
    [InlineData("deny", "action 'deny' is not supported yet in http-response rules")]
    [InlineData("redirect location /x", "action 'redirect' is not supported yet in http-response rules")]
    [InlineData("set-path /x", "unknown action 'set-path' (supported: add-header, allow, del-header, replace-header, set-header)")]
    [InlineData("frob", "unknown action 'frob' (supported: add-header, allow, del-header, replace-header, set-header)")]
    public void Response_rule_errors(string line, string message)
    {
        Assert.Equal($"test.cfg:5: section 'f': keyword 'http-response': {message}", ConfigTestSupport.SingleError(Frontend($" http-response {line}\n")));
    }

    [Fact]
    public void Reply_options_that_cannot_apply_are_warned_about()
    {
        Assert.Equal(
            [
                "test.cfg:5: warning: section 'f': keyword 'http-request': content-type 'text/plain' ignored: the reply has no payload",
                "test.cfg:6: warning: section 'f': keyword 'http-request': content-type 'text/plain' ignored: an error page is a whole response",
                "test.cfg:7: warning: section 'f': keyword 'http-request': 'hdr Content-Length' ignored: the reply sets it from its payload",
            ],
            ConfigTestSupport.Warnings(Frontend(
                " http-request return content-type text/plain if { path /a }\n" +
                " http-request deny content-type text/plain default-errorfiles if { path /b }\n" +
                " http-request return hdr Content-Length 3\n")));
    }

    [Fact]
    public void A_rule_after_a_final_unconditional_one_is_unreachable()
    {
        Assert.Equal(
            ["test.cfg:6: warning: section 'f': keyword 'http-request': unreachable: the previous 'http-request deny' rule (line 5) is final and has no condition"],
            ConfigTestSupport.Warnings(Frontend(" http-request deny\n http-request set-header X y\n")));
        Assert.Empty(ConfigTestSupport.Warnings(Frontend(" http-request deny if { path /a }\n http-request set-header X y\n")));
    }

    [Fact]
    public void Logging_only_actions_are_ignored_with_one_warning()
    {
        var config = ConfigTestSupport.Load(Frontend(" http-request capture req.hdr(host) len 20\n http-request set-log-level silent\n http-request capture path len 9\n"));
        Assert.True(config.Succeeded);
        Assert.Equal(
            [
                "test.cfg:5: warning: section 'f': keyword 'http-request': action 'capture': not implemented yet, ignored",
                "test.cfg:6: warning: section 'f': keyword 'http-request': action 'set-log-level': not implemented yet, ignored",
            ],
            config.Warnings.Select(w => w.ToString()));
        Assert.Empty(config.Config!.Frontends[0].HttpRequestRules);
    }

    [Fact]
    public void Rules_in_a_tcp_proxy_are_ignored_with_a_warning()
    {
        Assert.Equal(
            [
                "test.cfg:4: warning: section 'f': keyword 'http-request': ignored: 'http-request' rules need HTTP mode and frontend 'f' is in TCP mode",
                "test.cfg:9: warning: section 'b': keyword 'http-response': ignored: 'http-response' rules need HTTP mode and backend 'b' is in TCP mode",
            ],
            ConfigTestSupport.Warnings("""
                frontend f
                 mode tcp
                 bind :8080
                 http-request set-header X-A y
                 default_backend b
                backend b
                 mode tcp
                 server s 127.0.0.1:9000
                 http-response set-header X-A y
                """));
    }

    [Fact]
    public void Rules_in_a_frontend_without_mode_mean_http()
    {
        var result = ConfigTestSupport.Load("frontend f\n bind :8080\n http-request set-header X-A y\n default_backend b\nbackend b\n server s 127.0.0.1:9000\n");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Equal(ProxyMode.Http, result.Config!.Frontends[0].Mode);
        Assert.Equal(ProxyMode.Http, result.Config.Backends[0].Mode);
        Assert.StartsWith("test.cfg:3: warning: section 'f': 'http-request' rule in a frontend without a 'mode' line", result.Warnings[0].ToString());
    }

    [Fact]
    public void Standalone_redirect_errors_name_the_line_and_keyword()
    {
        Assert.Equal("test.cfg:5: section 'f': keyword 'redirect': unsupported redirect code '200' (expected 301, 302, 303, 307 or 308)",
            ConfigTestSupport.SingleError(Frontend(" redirect location /x code 200\n")));
        Assert.StartsWith("test.cfg:5: section 'f': keyword 'redirect': ",
            ConfigTestSupport.SingleError(Frontend(" redirect /x\n")));
    }

    [Fact]
    public void Standalone_redirect_is_an_http_request_rule_after_the_others()
    {
        HttpRule[] rules = [.. ConfigTestSupport.LoadValid(Frontend(" redirect scheme https if { path /a }\n http-request set-header X y\n")).Frontends[0].HttpRequestRules];
        Assert.Equal(2, rules.Length);
        Assert.IsType<SetHeaderAction>(rules[0].Action);
        Assert.IsType<RedirectAction>(rules[1].Action);
        Assert.Equal(new SourceLocation(ConfigTestSupport.FileName, 5), rules[1].Location);
    }
}
