using Appliance.Routing;

namespace Appliance.Tests.Routing;

/// <summary>use_backend first-match order, default_backend, no backend, and how rules are indexed.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public void Seed_example_routes_by_path_prefix_and_has_no_backend_for_other_paths()
    {
        var table = RoutingConfig.Table("""
            acl is_orders path_beg /orders
            acl is_auth path_beg /auth
            use_backend orders_backend if is_orders
            use_backend auth_backend if is_auth
            """);
        Assert.Equal("orders_backend", table.BackendFor(TestRequest.Get("/orders/42")));
        Assert.Equal("auth_backend", table.BackendFor(TestRequest.Get("/auth/login?next=/orders")));
        Assert.Null(table.BackendFor(TestRequest.Get("/other")));
        Assert.Equal(RouteTable.NoBackend, table.SelectBackend(TestRequest.Get("/other")));
        Assert.Equal(new RouteDecision(RouteTable.NoBackend, -1), table.Route(TestRequest.Get("/other")));
        Assert.Equal("path-prefix", Assert.Single(table.Segments).Kind);
    }

    [Fact]
    public void First_matching_rule_wins_not_the_longest_prefix()
    {
        var table = RoutingConfig.Table("""
            acl api path_beg /api
            acl api_v2 path_beg /api/v2
            use_backend api if api
            use_backend api_v2 if api_v2
            default_backend web
            """);
        Assert.Equal("api", table.BackendFor(TestRequest.Get("/api/v2/users")));
        Assert.Equal(new RouteDecision(table.Backends.Find("api"u8), 0), table.Route(TestRequest.Get("/api/v2/users")));
        Assert.Equal("web", table.BackendFor(TestRequest.Get("/ap")));
        Assert.Equal(new RouteDecision(table.DefaultBackend, -1), table.Route(TestRequest.Get("/ap")));
    }

    [Fact]
    public void Host_based_rules()
    {
        var table = RoutingConfig.Table("""
            acl host_orders hdr(host) -i orders.example.com
            acl host_auth hdr(host) auth.example.com
            use_backend orders if host_orders
            use_backend auth if host_auth
            default_backend web
            """);
        Assert.Equal("orders", table.BackendFor(TestRequest.WithHost("/", "orders.example.com")));
        Assert.Equal("orders", table.BackendFor(TestRequest.WithHost("/", "ORDERS.Example.Com")));
        Assert.Equal("auth", table.BackendFor(TestRequest.WithHost("/", "auth.example.com")));
        Assert.Equal("web", table.BackendFor(TestRequest.WithHost("/", "AUTH.example.com")));
        // hdr(host) compares the whole value, port included (HAProxy does the same).
        Assert.Equal("web", table.BackendFor(TestRequest.WithHost("/", "orders.example.com:8080")));
        Assert.Equal("web", table.BackendFor(TestRequest.Get("/")));
        Assert.Equal("header-exact", Assert.Single(table.Segments).Kind);
    }

    [Fact]
    public void Header_based_rules()
    {
        var table = RoutingConfig.Table("""
            acl gold hdr(X-Tenant) -m str gold
            acl silver hdr(x-tenant) -m str silver
            use_backend gold_pool if gold
            use_backend silver_pool if silver
            default_backend shared
            """);
        Assert.Equal("gold_pool", table.BackendFor(TestRequest.Get("/", ("X-Tenant", "gold"))));
        Assert.Equal("silver_pool", table.BackendFor(TestRequest.Get("/", ("x-tenant", "silver"))));
        Assert.Equal("shared", table.BackendFor(TestRequest.Get("/", ("X-Tenant", "Gold"))));
        // Several values: the earliest rule among them wins.
        Assert.Equal("gold_pool", table.BackendFor(TestRequest.Get("/", ("X-Tenant", "silver, gold"))));
        Assert.Equal("header-exact", Assert.Single(table.Segments).Kind);
    }

    [Fact]
    public void Mixed_rules_keep_declaration_order_across_indexed_and_ordered_segments()
    {
        var table = RoutingConfig.Table("""
            acl is_api path_beg /api
            acl is_admin path_beg /admin
            acl host_a hdr(host) -i a.example.com
            acl is_post method POST
            acl is_img path_end .png
            use_backend api if is_api
            use_backend admin if is_admin
            use_backend writes if is_post
            use_backend a if host_a
            use_backend img if is_img
            use_backend api_again if is_api
            use_backend catch_all
            use_backend never if TRUE
            """);
        Assert.Equal(["path-prefix", "ordered", "header-exact", "ordered", "path-prefix", "ordered"], table.Segments.Select(s => s.Kind));
        Assert.Equal("api", table.BackendFor(new TestRequest("/api/x", "POST")));
        Assert.Equal("writes", table.BackendFor(new TestRequest("/x.png", "POST", headers: [("Host", "a.example.com")])));
        Assert.Equal("a", table.BackendFor(new TestRequest("/x.png", headers: [("Host", "a.example.com")])));
        Assert.Equal("img", table.BackendFor(TestRequest.Get("/x.png")));
        Assert.Equal("catch_all", table.BackendFor(TestRequest.Get("/nothing")));
    }

    [Fact]
    public void Or_of_path_prefix_acls_and_anonymous_prefix_acls_are_indexed_too()
    {
        var table = RoutingConfig.Table("""
            acl a path_beg /a
            acl b path_beg -i /B
            use_backend ab if a || b
            use_backend c if { path_beg /c }
            use_backend not_indexed if !a
            """);
        Assert.Equal(["path-prefix", "ordered"], table.Segments.Select(s => s.Kind));
        Assert.Equal("ab", table.BackendFor(TestRequest.Get("/b/x")));
        Assert.Equal("c", table.BackendFor(TestRequest.Get("/c")));
        Assert.Equal("not_indexed", table.BackendFor(TestRequest.Get("/d")));
    }

    [Fact]
    public void Unless_and_unconditional_rules()
    {
        var table = RoutingConfig.Table("""
            acl internal src 10.0.0.0/8
            use_backend public unless internal
            use_backend private
            """);
        Assert.Equal("public", table.BackendFor(new TestRequest("/", source: "192.0.2.1")));
        Assert.Equal("private", table.BackendFor(new TestRequest("/", source: "10.1.1.1")));
    }
}
