using Appliance.Routing;

namespace Appliance.Tests.Routing;

/// <summary>Errors and warnings: exact text, location, section and keyword, all reported at once.</summary>
public sealed class RoutingDiagnosticsTests
{
    private const string File = RoutingConfig.DefaultFile;

    private static string[] Errors(string text, params string[] backends)
    {
        RouteCompilation result = RoutingConfig.Compile(text, backends.Length == 0 ? ["be"] : backends);
        Assert.False(result.Succeeded);
        Assert.Null(result.Table);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    [Fact]
    public void Every_error_is_reported_with_file_line_section_and_keyword()
    {
        string[] errors = Errors("""
            acl bad_fetch pathh_beg /x
            acl bad_flag path_beg -x /x
            acl bad_regex path_reg ^(unclosed
            acl bad_cidr src 10.0.0.0/33
            acl bad_file path_beg -f /nonexistent/patterns.lst
            acl bad_method path -m nope x
            use_backend be if unknown_acl
            use_backend missing_be if { path_beg /x }
            use_backend be if { nofetch x }
            default_backend nowhere
            """);
        Assert.Equal(
        [
            $"{File}:1: section 'web': keyword 'acl': acl 'bad_fetch': unknown fetch method 'pathh_beg'",
            $"{File}:2: section 'web': keyword 'acl': acl 'bad_flag': '-x' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'",
            $"{File}:3: section 'web': keyword 'acl': acl 'bad_regex': invalid regex '^(unclosed': Invalid pattern '^(unclosed' at offset 10. Not enough )'s.",
            $"{File}:4: section 'web': keyword 'acl': acl 'bad_cidr': '10.0.0.0/33' is not a valid IPv4 or IPv6 address",
            $"{File}:5: section 'web': keyword 'acl': acl 'bad_file': failed to open pattern file '/nonexistent/patterns.lst': no such file",
            $"{File}:6: section 'web': keyword 'acl': acl 'bad_method': unknown matching method 'nope' when parsing ACL expression",
            $"{File}:7: section 'web': keyword 'use_backend': no such ACL: 'unknown_acl'",
            $"{File}:8: section 'web': keyword 'use_backend': unable to find required use_backend: 'missing_be'",
            $"{File}:9: section 'web': keyword 'use_backend': anonymous ACL '{{ nofetch … }}': unknown fetch method 'nofetch'",
            $"{File}:1: section 'web': keyword 'default_backend': unable to find required default_backend: 'nowhere'",
        ], errors);
    }

    [Theory]
    [InlineData("acl a path_beg -m", "acl 'a': missing matching method after '-m'")]
    [InlineData("acl a path_beg -f", "acl 'a': missing file name after '-f'")]
    [InlineData("acl a src not-an-ip", "acl 'a': 'not-an-ip' is not a valid IPv4 or IPv6 address")]
    [InlineData("acl a src 2001:db8::/129", "acl 'a': '2001:db8::/129' is not a valid IPv4 or IPv6 address")]
    [InlineData("acl a src 10.0.0.256", "acl 'a': '10.0.0.256' is not a valid IPv4 or IPv6 address")]
    [InlineData("acl a hdr_cnt(x) abc", "acl 'a': 'abc' is not a number")]
    [InlineData("acl a hdr_cnt(x) gt 1:3", "acl 'a': '1:3': a range cannot be combined with operator 'gt'")]
    [InlineData("acl a path(x) /", "acl 'a': fetch 'path' takes no argument")]
    [InlineData("acl a hdr(a,b,c) x", "acl 'a': fetch 'hdr' takes at most 2 arguments")]
    [InlineData("acl a hdr(x,first) x", "acl 'a': invalid occurrence 'first' for fetch 'hdr'")]
    [InlineData("acl a src -m beg 10.", "acl 'a': matching method 'beg' cannot be used with fetch 'src' (address sample)")]
    [InlineData("acl a path -m ip 10.0.0.1", "acl 'a': matching method 'ip' cannot be used with fetch 'path' (string sample)")]
    [InlineData("acl a path,nope -m str x", "acl 'a': unknown or unsupported converter 'nope' (supported: lower, upper, map, map_str, map_beg, map_dom, map_end, map_sub, map_dir, map_reg)")]
    [InlineData("acl a hdr(host -m str x", "acl 'a': missing ')' in sample expression 'hdr(host'")]
    [InlineData("acl a path_beg -f x.lst -m beg", "acl 'a': '-m' must only be specified before patterns and files in parsing ACL expression")]
    [InlineData("acl a/b path /", "acl 'a/b': invalid character '/' in ACL name (allowed: letters, digits, '-', '_', '.', ':')")]
    public void Acl_errors(string line, string message)
    {
        if (line.Contains("x.lst"))
        {
            // The file must exist so the error is about '-m', not about the file.
            string dir = Directory.CreateTempSubdirectory("routing-diag").FullName;
            System.IO.File.WriteAllText(Path.Combine(dir, "x.lst"), "/x\n");
            RouteCompilation result = RoutingConfig.Compile(line, ["be"], Path.Combine(dir, "a.cfg"));
            Directory.Delete(dir, true);
            Assert.Equal($"{dir}/a.cfg:1: section 'web': keyword 'acl': {message}", Assert.Single(result.Errors).ToString());
            return;
        }
        Assert.Equal($"{File}:1: section 'web': keyword 'acl': {message}", Assert.Single(Errors(line)));
    }

    [Theory]
    [InlineData("use_backend be if", "missing condition after 'if'")]
    [InlineData("use_backend be unless", "missing condition after 'unless'")]
    [InlineData("use_backend be if || TRUE", "'||' must be preceded by an ACL")]
    [InlineData("use_backend be if TRUE or", "'or' must be followed by an ACL")]
    [InlineData("use_backend be if TRUE !", "'!' at the end of the condition must be followed by an ACL")]
    [InlineData("use_backend be if { path_beg /x", "missing '}' to close the anonymous ACL")]
    [InlineData("use_backend be if { }", "empty anonymous ACL '{ }'")]
    [InlineData("use_backend be if TRUE }", "'}' without a matching '{'")]
    [InlineData("use_backend be if later\nacl later path /", "no such ACL: 'later' (it is declared on line 2, after this rule; ACLs must be declared before use)")]
    [InlineData("use_backend %[path,map(/nonexistent.map)]", "failed to open map file '/nonexistent.map': no such file")]
    [InlineData("use_backend %[src]", "unknown or unsupported fetch method 'src' in a backend name (supported: path, url, query, method, base, hdr, req.hdr, req.fhdr)")]
    [InlineData("use_backend %[path,map_int(/x.map)]", "unknown or unsupported converter 'map_int' (supported: lower, upper, map, map_str, map_beg, map_dom, map_end, map_sub, map_dir, map_reg)")]
    [InlineData("use_backend be_%H_%[path]", "unsupported log-format element at '%H_%[path]' in backend name 'be_%H_%[path]' (only %[…] sample expressions are supported)")]
    [InlineData("use_backend %[path", "missing ']' in backend name '%[path'")]
    [InlineData("use_backend %[path,map()]", "converter 'map' expects a map file and an optional default value")]
    public void Use_backend_errors(string text, string message) =>
        Assert.Equal($"{File}:1: section 'web': keyword 'use_backend': {message}", Assert.Single(Errors(text)));

    [Fact]
    public void An_acl_that_failed_is_not_reported_again_where_it_is_used()
    {
        string[] errors = Errors("acl broken pathh /x\nuse_backend be if broken");
        Assert.Single(errors);
    }

    [Fact]
    public void An_acl_without_patterns_is_a_warning_not_an_error()
    {
        RouteCompilation result = RoutingConfig.Compile("acl empty path_beg\nacl fine path_beg --\nuse_backend be if empty || fine", ["be"]);
        Assert.True(result.Succeeded);
        Assert.Equal(
            $"{File}:1: warning: section 'web': keyword 'acl': acl 'empty': no pattern to match against was provided, so this ACL will never match; add '--' if this is intended, or use '-m found' to test for existence",
            Assert.Single(result.Warnings).ToString());
        Assert.Null(result.Table!.BackendFor(TestRequest.Get("/x")));
    }
}
