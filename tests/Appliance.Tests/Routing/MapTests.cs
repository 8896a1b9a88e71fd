using Appliance.Routing;
using Appliance.Routing.Maps;

namespace Appliance.Tests.Routing;

/// <summary>Dynamic use_backend with maps of each kind, defaults, unknown backends and runtime updates.</summary>
public sealed class MapTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-maps").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config => Path.Combine(_dir, "appliance.cfg");

    private string WriteMap(string name, string text)
    {
        File.WriteAllText(Path.Combine(_dir, name), text);
        return name;
    }

    private RouteTable Table(string text, MapRegistry? maps = null, params string[] backends)
    {
        RouteCompilation result = RoutingConfig.Compile(text, backends, Config, maps);
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Table!;
    }

    [Fact]
    public void Host_map_with_lower_and_default()
    {
        WriteMap("hosts.map", """
            # host              backend
            orders.example.com  orders
               auth.example.com	auth   

            """);
        var table = Table("use_backend %[req.hdr(host),lower,map(hosts.map,web)]", null, "orders", "auth", "web");
        Assert.Equal("orders", table.BackendFor(TestRequest.WithHost("/", "Orders.Example.com")));
        Assert.Equal("auth", table.BackendFor(TestRequest.WithHost("/", "auth.example.com")));
        Assert.Equal("web", table.BackendFor(TestRequest.WithHost("/", "other.example.com")));
        // No Host header: the fetch fails before the map runs, so its default does not apply either
        // (HAProxy), and with no default_backend there is no backend.
        Assert.Null(table.BackendFor(TestRequest.Get("/")));
    }

    [Fact]
    public void Sample_header_fetch_takes_the_last_occurrence()
    {
        WriteMap("t.map", "gold gold_be\nsilver silver_be\n");
        var table = Table("use_backend %[req.hdr(x-tenant),map(t.map)]\ndefault_backend shared", null, "gold_be", "silver_be", "shared");
        Assert.Equal("silver_be", table.BackendFor(TestRequest.Get("/", ("X-Tenant", "gold, silver"))));
        Assert.Equal("gold_be", table.BackendFor(TestRequest.Get("/", ("X-Tenant", "silver"), ("X-Tenant", "gold"))));
    }

    [Fact]
    public void Map_beg_uses_the_longest_prefix()
    {
        WriteMap("paths.map", "/api api\n/api/v2 api_v2\n/ web\n");
        var table = Table("use_backend %[path,map_beg(paths.map)]", null, "api", "api_v2", "web");
        Assert.Equal("api_v2", table.BackendFor(TestRequest.Get("/api/v2/users")));
        Assert.Equal("api", table.BackendFor(TestRequest.Get("/api/v1")));
        Assert.Equal("web", table.BackendFor(TestRequest.Get("/other")));
        Assert.Null(table.BackendFor(TestRequest.Get("*")));
    }

    [Fact]
    public void Map_str_first_duplicate_wins_and_list_maps_take_the_first_matching_line()
    {
        WriteMap("exact.map", "a first\na second\n");
        WriteMap("dom.map", "example.com first\nwww.example.com second\n");
        WriteMap("end.map", ".com first\nexample.com second\n");
        WriteMap("sub.map", "pl first_line\nexam second_line\n");
        WriteMap("reg.map", "^/v[0-9]+/ versioned\n^/v1/ v1\n");
        WriteMap("dir.map", "api api\nv1 v1\n");
        string[] backends = ["first", "second", "first_line", "second_line", "versioned", "v1", "api"];
        Assert.Equal("first", Table("use_backend %[hdr(x),map_str(exact.map)]", null, backends).BackendFor(TestRequest.Get("/", ("X", "a"))));
        Assert.Equal("first", Table("use_backend %[hdr(host),map_dom(dom.map)]", null, backends).BackendFor(TestRequest.WithHost("/", "www.example.com")));
        Assert.Null(Table("use_backend %[hdr(host),map_dom(dom.map)]", null, backends).BackendFor(TestRequest.WithHost("/", "notexample.com")));
        Assert.Equal("first", Table("use_backend %[hdr(host),map_end(end.map)]", null, backends).BackendFor(TestRequest.WithHost("/", "www.example.com")));
        // "exam" comes first in the text, but "pl" is the first line of the file.
        Assert.Equal("first_line", Table("use_backend %[hdr(host),map_sub(sub.map)]", null, backends).BackendFor(TestRequest.WithHost("/", "example.pl")));
        Assert.Equal("versioned", Table("use_backend %[path,map_reg(reg.map)]", null, backends).BackendFor(TestRequest.Get("/v1/x")));
        Assert.Equal("v1", Table("use_backend %[path,map_dir(dir.map)]", null, backends).BackendFor(TestRequest.Get("/v1/api2/x")));
    }

    [Fact]
    public void Literal_text_around_the_expression_and_base()
    {
        WriteMap("svc.map", "example.com/shop shop\n");
        var table = Table("use_backend be_%[base,map_beg(svc.map,none)]_pool", null, "be_shop_pool", "be_none_pool");
        Assert.Equal("be_shop_pool", table.BackendFor(TestRequest.WithHost("/shop/cart", "example.com")));
        Assert.Equal("be_none_pool", table.BackendFor(TestRequest.WithHost("/", "example.com")));
    }

    [Fact]
    public void A_name_that_is_no_backend_stops_the_rules_and_applies_the_default()
    {
        // HAProxy: "If the resulting backend name does not correspond to any valid backend, no other
        // rule is evaluated, and the default_backend directive is applied instead."
        WriteMap("hosts.map", "a.example.com decommissioned\nb.example.com b\n");
        var table = Table("""
            use_backend %[req.hdr(host),map(hosts.map)]
            use_backend second if TRUE
            default_backend fallback
            """, null, "b", "second", "fallback");
        Assert.Equal("b", table.BackendFor(TestRequest.WithHost("/", "b.example.com")));
        Assert.Equal("fallback", table.BackendFor(TestRequest.WithHost("/", "a.example.com")));
        Assert.Equal(new RouteDecision(table.DefaultBackend, 0), table.Route(TestRequest.WithHost("/", "a.example.com")));
        // Not in the map, no default value: the sample fails, which is no backend name either.
        Assert.Equal("fallback", table.BackendFor(TestRequest.WithHost("/", "c.example.com")));
    }

    [Fact]
    public void Conditions_on_dynamic_rules()
    {
        WriteMap("hosts.map", "a.example.com a\n");
        var table = Table("""
            acl api path_beg /api
            use_backend %[req.hdr(host),map(hosts.map)] if api
            default_backend web
            """, null, "a", "web");
        Assert.Equal("a", table.BackendFor(TestRequest.WithHost("/api", "a.example.com")));
        Assert.Equal("web", table.BackendFor(TestRequest.WithHost("/", "a.example.com")));
    }

    [Fact]
    public void A_file_named_twice_is_loaded_once_and_runtime_updates_are_seen_by_the_next_request()
    {
        string name = WriteMap("hosts.map", "a.example.com a\n");
        var maps = new MapRegistry();
        var table = Table(
            $"use_backend %[req.hdr(host),map({name})] if {{ path_beg /x }}\n" +
            $"use_backend %[req.hdr(host),map_dom({Path.Combine(_dir, name)},web)]",
            maps, "a", "b", "web");
        MapFile map = Assert.Single(maps.Maps);
        Assert.Same(map, maps.Find(Path.Combine(_dir, name)));
        var request = TestRequest.WithHost("/", "b.example.com");
        Assert.Equal("web", table.BackendFor(request));

        Assert.True(map.TryAdd("b.example.com", "b", out _));
        Assert.Equal("b", table.BackendFor(request));
        Assert.Equal(1, map.Set("b.example.com", "a"));
        Assert.Equal("a", table.BackendFor(request));
        Assert.Equal(1, map.Remove("b.example.com"));
        Assert.Equal("web", table.BackendFor(request));
        Assert.True(map.TryReplace([new MapEntry("example.com", "b")], out _));
        Assert.Equal("b", table.BackendFor(request));
        map.Clear();
        Assert.Empty(map.Current.Entries);
        Assert.Equal("web", table.BackendFor(request));
    }

    [Fact]
    public void A_runtime_update_with_an_invalid_regex_is_refused_and_the_map_is_unchanged()
    {
        WriteMap("reg.map", "^/a a\n");
        var maps = new MapRegistry();
        var table = Table("use_backend %[path,map_reg(reg.map)]", maps, "a");
        MapFile map = Assert.Single(maps.Maps);
        Assert.False(map.TryAdd("^(", "a", out string? error));
        Assert.StartsWith("invalid regex '^(':", error);
        Assert.Single(map.Current.Entries);
        Assert.Equal("a", table.BackendFor(TestRequest.Get("/a")));
    }

    [Fact]
    public void An_invalid_regex_key_in_a_map_file_names_its_line()
    {
        WriteMap("reg.map", "# comment\n^/a a\n^( broken\n");
        RouteCompilation result = RoutingConfig.Compile("use_backend %[path,map_reg(reg.map)]", ["a"], Config);
        string message = Assert.Single(result.Errors).Message;
        Assert.StartsWith($"map file '{Path.Combine(_dir, "reg.map")}' line 3: invalid regex '^(':", message);
    }
}
