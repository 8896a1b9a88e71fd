namespace Appliance.Tests.Routing;

/// <summary>if/unless, implicit AND, or/||, negation, precedence, anonymous and predefined ACLs.</summary>
public sealed class ConditionTests
{
    private const string Acls = """
        acl a path_beg /a
        acl b hdr(x-b) -m found
        acl c hdr(x-c) -m found
        """;

    private static bool Holds(string condition, bool a, bool b, bool c)
    {
        var table = RoutingConfig.Table($"{Acls}\nuse_backend yes {condition}\ndefault_backend no");
        var headers = new List<(string, string)>();
        if (b) headers.Add(("X-B", "1"));
        if (c) headers.Add(("X-C", "1"));
        return table.BackendFor(new TestRequest(a ? "/a" : "/z", headers: [.. headers])) == "yes";
    }

    public static TheoryData<string, Func<bool, bool, bool, bool>> Conditions => new()
    {
        { "if a", (a, b, c) => a },
        { "unless a", (a, b, c) => !a },
        { "if a b", (a, b, c) => a && b },
        { "if a || b", (a, b, c) => a || b },
        { "if a or b", (a, b, c) => a || b },
        { "if !a", (a, b, c) => !a },
        { "if ! a", (a, b, c) => !a },
        { "if !!a", (a, b, c) => a },
        { "if a b || c", (a, b, c) => (a && b) || c },
        { "if a || b c", (a, b, c) => a || (b && c) },
        { "if !a b or !c", (a, b, c) => (!a && b) || !c },
        { "unless a b || c", (a, b, c) => !((a && b) || c) },
        { "if a !b c", (a, b, c) => a && !b && c },
        { "if TRUE", (a, b, c) => true },
        { "if FALSE || a", (a, b, c) => a },
        { "if { path_beg /a } || { hdr(x-c) -m found } b", (a, b, c) => a || (c && b) },
        { "if !{ path_beg /a }", (a, b, c) => !a },
        { "if ! { path_beg /a } !b", (a, b, c) => !a && !b },
    };

    [Theory]
    [MemberData(nameof(Conditions))]
    public void Evaluates_like_haproxy(string condition, Func<bool, bool, bool, bool> expected)
    {
        for (int bits = 0; bits < 8; bits++)
        {
            bool a = (bits & 1) != 0, b = (bits & 2) != 0, c = (bits & 4) != 0;
            Assert.True(expected(a, b, c) == Holds(condition, a, b, c), $"{condition} with a={a} b={b} c={c}");
        }
    }

    [Fact]
    public void Predefined_acls_are_available_and_a_frontend_acl_shadows_them()
    {
        var table = RoutingConfig.Table("""
            use_backend local if LOCALHOST
            use_backend reads if METH_GET
            use_backend star if HTTP_URL_STAR
            default_backend other
            """);
        Assert.Equal("local", table.BackendFor(new TestRequest("/", "POST", "127.0.0.1")));
        Assert.Equal("local", table.BackendFor(new TestRequest("/", "POST", "::1")));
        Assert.Equal("reads", table.BackendFor(new TestRequest("/", "HEAD")));
        Assert.Equal("star", table.BackendFor(new TestRequest("*", "OPTIONS")));
        Assert.Equal("other", table.BackendFor(new TestRequest("/", "POST")));

        var shadowed = RoutingConfig.Table("acl METH_GET method POST\nuse_backend yes if METH_GET\ndefault_backend no");
        Assert.Equal("yes", shadowed.BackendFor(new TestRequest("/", "POST")));
        Assert.Equal("no", shadowed.BackendFor(new TestRequest("/", "GET")));
    }

    [Fact]
    public void Acl_lines_after_the_rule_still_extend_an_acl_declared_before_it()
    {
        var table = RoutingConfig.Table("""
            acl api path_beg /api
            use_backend api if api
            acl api path_beg /v2
            default_backend web
            """);
        Assert.Equal("api", table.BackendFor(TestRequest.Get("/v2/x")));
    }
}
