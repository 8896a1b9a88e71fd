using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class RoutingKeywordTests
{
    private static FrontendConfig HttpFrontend(string body) => Assert.Single(LoadValid(
        "frontend f\n mode http\n bind :80\n" + body + "\nbackend b1\n mode http\nbackend b2\n mode http\n").Frontends);

    [Fact]
    public void KeepsAclWordsWithFlagsAndSeveralValues()
    {
        var acl = Assert.Single(HttpFrontend(" acl api hdr(host) -i api.example.com api.example.org").Acls);
        Assert.Equal(new AclConfig("api", "hdr(host)", new ValueList<string>(["-i", "api.example.com", "api.example.org"]), new SourceLocation(FileName, 4)), acl);
    }

    [Fact]
    public void AclWithoutValuesIsABooleanFetch() =>
        Assert.Empty(Assert.Single(HttpFrontend(" acl tls ssl_fc").Acls).Arguments);

    [Fact]
    public void ParsesUseBackendForms()
    {
        var rules = HttpFrontend(
            " acl a path_beg /a\n acl b path_beg /b\n" +
            " use_backend b1 if a\n" +
            " use_backend b2 unless !a || b or METH_GET\n" +
            " use_backend b1 if { path_beg /x } a\n" +
            " use_backend b2\n" +
            " use_backend be_%[req.hdr(host),lower] if b\n").UseBackends;
        Assert.Equal(
            [
                new UseBackendRule("b1", new ConditionConfig(false, new ValueList<string>(["a"])), new SourceLocation(FileName, 6)),
                new UseBackendRule("b2", new ConditionConfig(true, new ValueList<string>(["!a", "||", "b", "or", "METH_GET"])), new SourceLocation(FileName, 7)),
                new UseBackendRule("b1", new ConditionConfig(false, new ValueList<string>(["{", "path_beg", "/x", "}", "a"])), new SourceLocation(FileName, 8)),
                new UseBackendRule("b2", null, new SourceLocation(FileName, 9)),
                new UseBackendRule("be_%[req.hdr(host),lower]", new ConditionConfig(false, new ValueList<string>(["b"])), new SourceLocation(FileName, 10)),
            ],
            rules);
        Assert.True(rules[4].IsDynamic);
        Assert.False(rules[0].IsDynamic);
    }

    [Theory]
    [InlineData("use_backend b1 if", "missing condition after 'if'")]
    [InlineData("use_backend b1 unless", "missing condition after 'unless'")]
    [InlineData("use_backend b1 when a", "unexpected 'when' (expected 'if' or 'unless' followed by a condition)")]
    [InlineData("use_backend b1 if { path_beg /x", "missing closing '}' in condition")]
    [InlineData("use_backend b1 if path_beg /x }", "unexpected '}' in condition")]
    [InlineData("use_backend", "missing argument; usage: use_backend <backend> [if|unless <condition>]")]
    [InlineData("use_backend b1 if missing_acl", "unknown ACL 'missing_acl' (an ACL must be declared above the rule using it)")]
    [InlineData("use_backend b1 if !is_ap", "unknown ACL 'is_ap' (an ACL must be declared above the rule using it); did you mean 'is_api'?")]
    public void RejectsBadUseBackend(string line, string message) =>
        Assert.Equal($"test.cfg:5: section 'f': keyword 'use_backend': {message}",
            SingleError("frontend f\n mode http\n bind :80\n acl is_api path_beg /api\n " + line + "\nbackend b1\n mode http\n"));

    [Fact]
    public void AclMustBeDeclaredAboveTheRule() =>
        Assert.Equal("test.cfg:4: section 'f': keyword 'use_backend': ACL 'late' is declared below this rule (at test.cfg:5); it must be declared above it",
            SingleError("frontend f\n mode http\n bind :80\n use_backend b if late\n acl late path_beg /x\nbackend b\n mode http\n"));

    [Theory]
    [InlineData("acl a", "missing argument; usage: acl <name> <fetch> [flags] [values...]")]
    [InlineData("acl a/b path /", "invalid character '/' in ACL name 'a/b' (allowed: letters, digits, '-', '_', '.', ':')")]
    public void RejectsBadAcl(string line, string message) =>
        Assert.Equal($"test.cfg:3: section 'f': keyword 'acl': {message}", SingleError("frontend f\n bind :80\n " + line));
}
