using Appliance.Config.Model;
using Appliance.Tests.Config;

namespace Appliance.Tests.Rules;

/// <summary>
/// Rules in a named defaults section run before the inheriting proxy's own, with the section's own
/// ACLs; HAProxy's restrictions on such sections (checked against HAProxy 2.6) are errors at the
/// inheriting line.
/// </summary>
public sealed class DefaultsRulesTests
{
    private const string Base = """
        defaults web
         mode http
         acl from_lb src 10.0.0.0/8
         http-request set-header X-Defaults 1
         http-request set-header X-Lb 1 if from_lb
         http-response set-header X-Defaults-Response 1

        """;

    [Fact]
    public void Inherited_rules_run_first_with_the_defaults_acls()
    {
        RulesHarness harness = RulesHarness.Load(Base + """
            frontend f from web
             bind :8080
             acl from_lb path /lb
             http-request set-header X-Defaults 2 if from_lb
             http-response set-header X-Own 1
             default_backend b
            defaults plain
             mode http
            backend b from plain
             server s 127.0.0.1:9000
            """);
        DefaultsHttpRules inherited = harness.Config.Frontends[0].DefaultsRules!;
        Assert.Equal("web", inherited.Name);
        Assert.Equal(new SourceLocation(ConfigTestSupport.FileName, 1), inherited.Location);
        Assert.Equal(2, inherited.RequestRules.Count);
        Assert.Null(harness.Config.Backends[0].DefaultsRules);

        Assert.Equal("GET /lb HTTP/1.1\r\nHost: h\r\nX-Lb: 1\r\nX-Defaults: 2\r\n\r\n",
            harness.Request("GET /lb HTTP/1.1\r\nHost: h\r\n\r\n", client: "10.1.1.1").Head);
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Defaults: 1\r\n\r\n", harness.Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n").Head);
        Assert.Equal("HTTP/1.1 204 No Content\r\nX-Defaults-Response: 1\r\nX-Own: 1\r\n\r\n",
            harness.Response("HTTP/1.1 204 No Content\r\n\r\n", "b"));
    }

    [Fact]
    public void The_last_defaults_section_applies_implicitly_too()
    {
        RulesHarness harness = RulesHarness.Load(Base + "frontend f\n bind :8080\n default_backend b\ndefaults plain\n mode http\nbackend b\n server s 127.0.0.1:9000\n");
        Assert.Equal("GET / HTTP/1.1\r\nHost: h\r\nX-Defaults: 1\r\n\r\n", harness.Request("GET / HTTP/1.1\r\nHost: h\r\n\r\n").Head);
    }

    [Theory]
    [InlineData("defaults\n http-request set-header X 1\n",
        "test.cfg:2: section 'defaults': keyword 'http-request': not allowed in an anonymous defaults section (name the section; the proxies that inherit it run its rules first)")]
    [InlineData("defaults\n http-response set-header X 1\n",
        "test.cfg:2: section 'defaults': keyword 'http-response': not allowed in an anonymous defaults section (name the section; the proxies that inherit it run its rules first)")]
    [InlineData(Base + "listen l from web\n bind :8080\n server s 127.0.0.1:9000\n",
        "test.cfg:7: section 'l': keyword 'listen': a listen section cannot inherit from defaults section 'web' (declared at test.cfg:1) because it defines http-request/http-response rules; use a frontend and a backend")]
    [InlineData(Base + "defaults other from web\n",
        "test.cfg:7: section 'other': keyword 'defaults': a defaults section cannot inherit from defaults section 'web' (declared at test.cfg:1) because it defines http-request/http-response rules")]
    [InlineData(Base + "frontend f from web\n bind :8080\n default_backend b\nbackend b from web\n server s 127.0.0.1:9000\n",
        "test.cfg:10: section 'b': keyword 'backend': frontends and backends cannot share defaults section 'web' (declared at test.cfg:1) because it defines http-request/http-response rules, and a frontend inherits it already")]
    public void Restrictions_on_defaults_with_rules(string text, string error)
    {
        Assert.Equal(error, ConfigTestSupport.SingleError(text));
    }

    [Fact]
    public void Errors_in_inherited_rules_are_reported_once_at_their_line()
    {
        string text = """
            defaults web
             mode http
             http-request set-header X %[nosuch]
            frontend f1 from web
             bind :8080
             default_backend b
            frontend f2 from web
             bind :8081
             default_backend b
            defaults plain
             mode http
            backend b from plain
             server s 127.0.0.1:9000
            """;
        Assert.Equal(
            "test.cfg:3: section 'web': keyword 'http-request': set-header: unknown or unsupported fetch method 'nosuch' (supported: src, path, url, query, method, base, hdr, req.hdr, req.fhdr, res.hdr, res.fhdr, shdr)",
            RulesHarness.CompileError(text));
    }
}
