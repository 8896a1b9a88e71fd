using Appliance.Rules;

namespace Appliance.Tests.Rules;

/// <summary>
/// What each http-request action does to a real request: parsed by the proxy's parser, run through
/// the compiled rules, written by the head writer, compared byte for byte. Expected behaviour was
/// checked against HAProxy 2.6 where it has some.
/// </summary>
public sealed class RequestRuleTests
{
    private static RulesHarness Frontend(string rules) => RulesHarness.Load(
        "defaults\n mode http\nfrontend f\n bind :8080\n" + rules + " default_backend b\nbackend b\n server s 127.0.0.1:9000\n");

    private static string Forward(string rules, string request, string client = "192.0.2.10")
    {
        RequestResult result = Frontend(rules).Request(request, client: client);
        Assert.Equal(RuleVerdict.Continue, result.Verdict);
        return result.Head!;
    }

    [Fact]
    public void Set_header_replaces_every_field_of_that_name_and_add_header_appends()
    {
        string head = Forward(
            " http-request set-header X-Env prod\n http-request add-header Via 1.1\\ appliance\n",
            "GET / HTTP/1.1\r\nHost: h\r\nx-env: a\r\nVia: 1.0 p\r\nX-ENV: b\r\n\r\n");
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nVia: 1.0 p\r\nX-Env: prod\r\nVia: 1.1 appliance\r\n\r\n", head);
    }

    [Fact]
    public void Del_header_removes_every_field_of_that_name_case_insensitively()
    {
        string head = Forward(" http-request del-header x-secret\n", "GET / HTTP/1.1\r\nHost: h\r\nX-Secret: 1\r\nA: b\r\nx-SECRET: 2\r\n\r\n");
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nA: b\r\n\r\n", head);
    }

    [Theory]
    [InlineData("x-debug -m beg", "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nX-Trace: 3\r\n\r\n")]
    [InlineData("-id -m end", "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nX-Trace: 3\r\n\r\n")]
    [InlineData("DEBUG -m sub", "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nX-Trace: 3\r\n\r\n")]
    [InlineData("^x-(debug|trace) -m reg", "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\n\r\n")]
    [InlineData("x-debug -m str", "GET / HTTP/1.1\r\nHost: h\r\nX-Debug-Id: 1\r\nA: 1\r\nX-Trace: 3\r\nx-debug-id: 2\r\n\r\n")]
    public void Del_header_matching_methods(string arguments, string expected)
    {
        const string request = "GET / HTTP/1.1\r\nHost: h\r\nX-Debug-Id: 1\r\nA: 1\r\nX-Trace: 3\r\nx-debug-id: 2\r\n\r\n";
        Assert.Equal(expected, Forward($" http-request del-header {arguments}\n", request));
    }

    [Fact]
    public void A_pattern_never_deletes_the_framing_fields()
    {
        string head = Forward(" http-request del-header content- -m beg\n",
            "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nContent-Type: a/b\r\n\r\nhi");
        Assert.Equal("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n", head);
    }

    [Fact]
    public void Replace_header_replaces_whole_matching_values_with_group_references()
    {
        // HAProxy 2.6: "User-Agent: curl/7.8" with "cu(r)l foo\1bar" becomes "foorbar"; each field is one value.
        string head = Forward(
            " http-request replace-header User-Agent cu(r)l foo\\1bar\n http-request replace-header X-Multi b+ Z\n",
            "GET / HTTP/1.1\r\nUser-Agent: curl/7.8\r\nHost: h\r\nX-Multi: abbbc\r\nX-Multi: q, bb\r\nX-Multi: none\r\n\r\n");
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: foorbar\r\nX-Multi: Z\r\nX-Multi: Z\r\nX-Multi: none\r\n\r\n", head);
    }

    [Fact]
    public void Replace_header_without_a_match_changes_nothing()
    {
        const string request = "GET / HTTP/1.1\r\nHost: h\r\nUser-Agent: wget\r\n\r\n";
        Assert.Equal(request, Forward(" http-request replace-header User-Agent ^curl x\n", request));
    }

    [Fact]
    public void Replace_header_groups_and_samples_together()
    {
        string head = Forward(
            " http-request replace-header Cookie foo=([^;]*);(.*) foo=\\1;ip=%[src];\\2\n",
            "GET / HTTP/1.1\r\nHost: h\r\nCookie: foo=foobar; expires=Tue\r\n\r\n");
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nCookie: foo=foobar;ip=192.0.2.10; expires=Tue\r\n\r\n", head);
    }

    [Fact]
    public void Set_path_keeps_query_and_absolute_form_authority()
    {
        Assert.Equal("GET /v2/a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n",
            Forward(" http-request set-path /v2%[path]\n", "GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"));
        Assert.Equal("GET http://h:81/v2/a?x HTTP/1.1\r\nHost: h:81\r\n\r\n",
            Forward(" http-request set-path /v2%[path]\n", "GET http://h:81/a?x HTTP/1.1\r\nHost: h:81\r\n\r\n"));
        // No path to replace: left as received, like the head writer does.
        Assert.Equal("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
            Forward(" http-request set-path /x\n", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"));
    }

    [Fact]
    public void Later_rules_see_earlier_edits()
    {
        // HAProxy 2.6: a value may read a header added just before, and a condition sees it too.
        string head = Forward(
            " http-request add-header X-A one\n" +
            " http-request set-header X-B %[req.hdr(x-a)]-two\n" +
            " http-request set-header X-C seen if { req.hdr(x-b) -m beg one }\n" +
            " http-request set-path /p%[path]\n" +
            " http-request set-header X-Path %[path] if { path_beg /p/ }\n" +
            " http-request set-header X-Url %[url]\n",
            "GET /setp/a?q=1 HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(
            "GET /p/setp/a?q=1 HTTP/1.1\r\nHost: h\r\nX-A: one\r\nX-B: one-two\r\nX-C: seen\r\nX-Path: /p/setp/a\r\nX-Url: /p/setp/a?q=1\r\n\r\n",
            head);
    }

    [Fact]
    public void Set_header_value_is_computed_before_the_old_field_goes()
    {
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Hops: a,b\r\n\r\n",
            Forward(" http-request set-header X-Hops %[req.fhdr(x-hops)],b\n", "GET / HTTP/1.1\r\nX-Hops: a\r\nHost: h\r\n\r\n"));
    }

    [Fact]
    public void Absent_samples_give_an_empty_value_and_src_is_text()
    {
        string head = Forward(
            " http-request set-header X-Empty %[req.hdr(nothere)]\n http-request set-header X-Src %[src]\n",
            "GET / HTTP/1.1\r\nHost: h\r\n\r\n", client: "2001:db8::1");
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Empty: \r\nX-Src: 2001:db8::1\r\n\r\n", head);
    }

    [Fact]
    public void Conditions_if_unless_and_acls()
    {
        RulesHarness harness = Frontend(
            " acl api path_beg /api\n" +
            " acl internal src 10.0.0.0/8\n" +
            " http-request set-header X-Api 1 if api\n" +
            " http-request set-header X-External 1 unless internal\n" +
            " http-request set-header X-Both 1 if api internal || { hdr(x-force) yes }\n");
        Assert.Equal("GET /api/x HTTP/1.1\r\nHost: h\r\nX-Api: 1\r\nX-External: 1\r\n\r\n",
            harness.Request("GET /api/x HTTP/1.1\r\nHost: h\r\n\r\n").Head);
        Assert.Equal("GET /api/x HTTP/1.1\r\nHost: h\r\nX-Api: 1\r\nX-Both: 1\r\n\r\n",
            harness.Request("GET /api/x HTTP/1.1\r\nHost: h\r\n\r\n", client: "10.1.2.3").Head);
        Assert.Equal("GET / HTTP/1.1\r\nX-Force: yes\r\nHost: h\r\nX-External: 1\r\nX-Both: 1\r\n\r\n",
            harness.Request("GET / HTTP/1.1\r\nX-Force: yes\r\nHost: h\r\n\r\n").Head);
    }

    [Fact]
    public void Rules_run_in_order_and_a_later_set_wins()
    {
        string head = Forward(
            " http-request set-header X-Order first\n http-request add-header X-Order second\n http-request set-header X-Order third\n",
            "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Order: third\r\n\r\n", head);
    }

    [Fact]
    public void Allow_stops_the_section_but_not_the_backend()
    {
        RulesHarness harness = RulesHarness.Load("""
            defaults
             mode http
            frontend f
             bind :8080
             http-request set-header X-1 a
             http-request allow if { path /ok }
             http-request deny
             default_backend b
            backend b
             http-request set-header X-Backend b
             server s 127.0.0.1:9000
            """);
        RequestResult allowed = harness.Request("GET /ok HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("GET /ok HTTP/1.1\r\nHost: h\r\nX-1: a\r\nX-Backend: b\r\n\r\n", allowed.Head);
        Assert.Equal(RuleVerdict.Deny, harness.Request("GET /no HTTP/1.1\r\nHost: h\r\n\r\n").Verdict);
    }

    [Fact]
    public void Frontend_rules_run_before_routing_and_the_backend_rules_after()
    {
        RulesHarness harness = RulesHarness.Load("""
            defaults
             mode http
            frontend f
             bind :8080
             http-request set-header X-Tenant gold if { path_beg /gold }
             use_backend premium if { req.hdr(x-tenant) gold }
             default_backend basic
            backend premium
             http-request set-header X-Seen-Tenant %[req.hdr(x-tenant)]
             server s 127.0.0.1:9000
            backend basic
             http-request set-header X-Basic 1
             server s 127.0.0.1:9001
            """);
        RequestResult gold = harness.Request("GET /gold HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("premium", gold.Backend);
        Assert.Equal("GET /gold HTTP/1.1\r\nHost: h\r\nX-Tenant: gold\r\nX-Seen-Tenant: gold\r\n\r\n", gold.Head);
        RequestResult other = harness.Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("basic", other.Backend);
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Basic: 1\r\n\r\n", other.Head);
    }

    [Fact]
    public void A_listen_section_runs_its_rules_once()
    {
        RulesHarness harness = RulesHarness.Load("""
            defaults
             mode http
            listen l
             bind :8080
             http-request add-header X-Count 1
             server s 127.0.0.1:9000
            """);
        Assert.Same(harness.Frontend("l"), harness.Backend("l"));
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Count: 1\r\n\r\n", harness.Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n", "l").Head);
    }

    [Fact]
    public void A_full_edit_list_fails_the_rewrite_with_the_500_page()
    {
        var rules = new System.Text.StringBuilder();
        for (int i = 0; i < 40; i++) rules.Append($" http-request add-header X-{i} v\n");
        RequestResult result = Frontend(rules.ToString()).Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(RuleVerdict.RewriteFailed, result.Verdict);
        Assert.Equal(500, result.Status);
        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", result.Response);
    }

    [Theory]
    // HAProxy's examples: strip a prefix, add one; the query and an absolute-form authority stay.
    [InlineData("/foo/(.*) /\\1", "GET /foo/bar?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", "GET /bar?q=1 HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("(.*) /foo\\1", "GET /bar?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", "GET /foo/bar?q=1 HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("^/api/v1(/.*)?$ /v1%[req.hdr(x-tenant)]\\1", "GET http://h/api/v1/orders/7 HTTP/1.1\r\nHost: h\r\nX-Tenant: /t9\r\n\r\n",
        "GET http://h/v1/t9/orders/7 HTTP/1.1\r\nHost: h\r\nX-Tenant: /t9\r\n\r\n")]
    // The match is unanchored and the replacement takes the whole path, as replace-header does with a value.
    [InlineData("o+ /x", "GET /foo/bar HTTP/1.1\r\nHost: h\r\n\r\n", "GET /x HTTP/1.1\r\nHost: h\r\n\r\n")]
    // No match, or no path (asterisk form): left as received.
    [InlineData("^/foo/(.*) /\\1", "GET /bar/foo/x HTTP/1.1\r\nHost: h\r\n\r\n", "GET /bar/foo/x HTTP/1.1\r\nHost: h\r\n\r\n")]
    [InlineData("(.*) /x", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n")]
    public void Replace_path_rewrites_a_matching_path_whole_with_group_references(string arguments, string request, string expected) =>
        Assert.Equal(expected, Forward($" http-request replace-path {arguments}\n", request));

    [Fact]
    public void Replace_path_is_seen_by_later_rules()
    {
        string head = Forward(
            " http-request replace-path /orders(/.*)? /v2\\1\n" +
            " http-request set-header X-Path %[path] if { path_beg /v2/ }\n",
            "GET /orders/42?x HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal("GET /v2/42?x HTTP/1.1\r\nHost: h\r\nX-Path: /v2/42\r\n\r\n", head);
    }

    [Fact]
    public void A_path_replacement_that_is_not_a_path_fails_the_rewrite()
    {
        // The group holds "bar", without the leading '/': not a path.
        RequestResult result = Frontend(" http-request replace-path /foo/(.*) \\1\n").Request("GET /foo/bar HTTP/1.1\r\nHost: h\r\n\r\n");
        Assert.Equal(RuleVerdict.RewriteFailed, result.Verdict);
        Assert.Equal(500, result.Status);
    }

    [Fact]
    public void A_computed_path_that_is_not_a_path_fails_the_rewrite()
    {
        RequestResult result = Frontend(" http-request set-path %[req.hdr(x-p)]\n").Request("GET / HTTP/1.1\r\nHost: h\r\nX-P: nope\r\n\r\n");
        Assert.Equal(RuleVerdict.RewriteFailed, result.Verdict);
    }

    [Fact]
    public void Values_can_use_maps_and_converters()
    {
        string dir = Directory.CreateTempSubdirectory("rules-map").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tiers.map"), "example.com gold\n");
            string head = Forward($" http-request set-header X-Tier %[req.hdr(host),lower,map({dir}/tiers.map,basic)]\n",
                "GET / HTTP/1.1\r\nHost: EXAMPLE.com\r\n\r\n");
            Assert.Equal("GET / HTTP/1.1\r\nHost: EXAMPLE.com\r\nX-Tier: gold\r\n\r\n", head);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
