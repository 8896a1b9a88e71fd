namespace Appliance.Tests.Rules;

/// <summary>What only compiling can find (ACL names, fetches, regexes, values), reported with file, line, section and keyword.</summary>
public sealed class RuleCompileErrorTests
{
    private static string Compile(string rules) => RulesHarness.CompileError(
        "defaults\n mode http\nfrontend f\n bind :8080\n" + rules + " default_backend b\nbackend b\n server s 127.0.0.1:9000\n");

    [Theory]
    [InlineData(" http-request set-header X 1 if nosuch\n", "set-header: no such ACL: 'nosuch'")]
    [InlineData(" http-request deny if { path_beg }\n http-request deny if later\n acl later path /\n",
        "deny: no such ACL: 'later' (it is declared on line 7, after this rule; ACLs must be declared before use)")]
    [InlineData(" http-request set-header X %[nosuch]\n",
        "set-header: unknown or unsupported fetch method 'nosuch' (supported: src, path, url, query, method, base, hdr, req.hdr, req.fhdr, res.hdr, res.fhdr, shdr)")]
    [InlineData(" http-request set-header X %[path\n", "set-header: missing ']' in '%[path'")]
    [InlineData(" http-request set-header X %T\n", "set-header: unsupported log-format element at '%T' in '%T' (only %[…] sample expressions are supported)")]
    [InlineData(" http-request set-header X %[res.hdr(server)]\n", "set-header: fetch 'res.hdr' reads the response, which is not known when requests are processed")]
    [InlineData(" http-request set-header X %[path,frob]\n",
        "set-header: unknown or unsupported converter 'frob' (supported: lower, upper, map, map_str, map_beg, map_dom, map_end, map_sub, map_dir, map_reg)")]
    [InlineData(" http-request replace-header X ( y\n", "replace-header: invalid regex '(': Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData(" http-request del-header ( -m reg\n", "del-header: invalid regex '(': Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData(" http-request replace-path ( /x\n", "replace-path: invalid regex '(': Invalid pattern '(' at offset 1. Not enough )'s.")]
    [InlineData(" http-request replace-path (.*) /x?y\\1\n", "replace-path: '/x?y\\1' cannot make a path (request-target characters without '?', and \\1…\\9 for the groups)")]
    [InlineData(" http-request set-header X a\\nb\n", "set-header: the value holds characters a header cannot carry")]
    [InlineData(" http-request redirect location /a\\rb\n", "redirect: the value holds characters a header cannot carry")]
    public void Request_rule_compile_errors(string rules, string message)
    {
        int line = rules.Contains("later") ? 6 : 5;
        Assert.Equal($"test.cfg:{line}: section 'f': keyword 'http-request': {message}", Compile(rules));
    }

    [Fact]
    public void A_response_value_cannot_read_the_request()
    {
        Assert.Equal(
            "test.cfg:5: section 'f': keyword 'http-response': set-header: fetch 'req.hdr' reads the request, which an http-response rule cannot see",
            Compile(" http-response set-header X %[req.hdr(host)]\n"));
    }

    [Fact]
    public void Backend_acls_are_compiled_only_when_a_rule_uses_them()
    {
        string text = """
            defaults
             mode http
            frontend f
             bind :8080
             default_backend b
            backend b
             acl unused nbsrv(b) lt 1
             acl used path_beg /a
             http-request set-header X 1 if used
             server s 127.0.0.1:9000
            """;
        RulesHarness harness = RulesHarness.Load(text);
        Assert.Equal("GET /a HTTP/1.1\r\nHost: h\r\nX: 1\r\n\r\n", harness.Request("GET /a HTTP/1.1\r\nHost: h\r\n\r\n").Head);
        Assert.Equal(
            "test.cfg:7: section 'b': keyword 'acl': acl 'bad': unknown fetch method 'nbsrv'",
            RulesHarness.CompileError(text.Replace("acl unused nbsrv(b) lt 1", "acl bad nbsrv(b) lt 1").Replace("if used", "if used bad")));
    }
}
