namespace Appliance.Tests.Routing;

/// <summary>Each fetch with each matching method and flag, through a one-rule route table.</summary>
public sealed class AclMatchTests
{
    /// <summary>True when <c>acl a EXPR</c> matches <paramref name="request"/>.</summary>
    internal static bool Matches(string expression, TestRequest request)
    {
        var table = RoutingConfig.Table($"acl a {expression}\nuse_backend yes if a\ndefault_backend no");
        return table.BackendFor(request) == "yes";
    }

    [Theory]
    [InlineData("path /orders", "/orders", true)]
    [InlineData("path /orders", "/orders/1", false)]
    [InlineData("path /orders", "/orders?x=1", true)]
    [InlineData("path -i /ORDERS", "/orders", true)]
    [InlineData("path_beg /orders", "/orders/1", true)]
    [InlineData("path_beg /orders", "/order", false)]
    [InlineData("path_beg -i /ORD", "/orders", true)]
    [InlineData("path_beg /ORD", "/orders", false)]
    [InlineData("path_beg /a /orders", "/orders", true)]
    [InlineData("path_end .jpg .png", "/img/x.png", true)]
    [InlineData("path_end .jpg", "/img/x.jpg?size=2", true)]
    [InlineData("path_end -i .JPG", "/img/x.jpg", true)]
    [InlineData("path_end .jpg", "/img/x.jpeg", false)]
    [InlineData("path_sub /api/", "/v1/api/x", true)]
    [InlineData("path_sub -i /API/", "/v1/api/x", true)]
    [InlineData("path_sub /api/", "/v1/apix", false)]
    [InlineData("path_reg ^/v[0-9]+/", "/v12/x", true)]
    [InlineData("path_reg ^/v[0-9]+/", "/vx/x", false)]
    [InlineData("path_reg -i ^/API", "/api/x", true)]
    [InlineData("path_reg api", "/v1/api/x", true)]
    [InlineData("path_dir api", "/v1/api/x", true)]
    [InlineData("path_dir api", "/v1/apix/x", false)]
    [InlineData("path_dir /v1/api/", "/v1/api", true)]
    [InlineData("path_dir v1/api", "/x/v1/api/y", true)]
    [InlineData("path_dom example.com", "/example.com:80/x", true)]
    [InlineData("path_len 3", "/ab", true)]
    [InlineData("path_len gt 3", "/ab", false)]
    [InlineData("path_len 2:4", "/abc", true)]
    [InlineData("path -m beg /ord", "/orders", true)]
    [InlineData("path -m end ers", "/orders", true)]
    [InlineData("path -m sub rde", "/orders", true)]
    [InlineData("path -m reg r.e", "/orders", true)]
    [InlineData("path -m len 7", "/orders", true)]
    [InlineData("path -m found", "/", true)]
    [InlineData("path_beg -m str /orders", "/orders/1", false)]
    [InlineData("path -- -i", "-i", false)]
    public void Path_fetches(string expression, string url, bool expected) =>
        Assert.Equal(expected, Matches(expression, TestRequest.Get(url)));

    [Theory]
    [InlineData("url /a?b=1", "/a?b=1", true)]
    [InlineData("url /a", "/a?b=1", false)]
    [InlineData("url_beg /a?b", "/a?b=1", true)]
    [InlineData("url_beg http://", "http://h/a", true)]
    [InlineData("url_end =1", "/a?b=1", true)]
    [InlineData("url_sub b=", "/a?b=1", true)]
    [InlineData("url_reg ^[^/:]*://", "http://h/a", true)]
    [InlineData("url_len 6", "/a?b=1", true)]
    [InlineData("url *", "*", true)]
    [InlineData("query b=1", "/a?b=1", true)]
    [InlineData("query -m beg b=", "/a?b=1&c=2", true)]
    [InlineData("query -m found", "/a?", true)]
    [InlineData("query -m found", "/a", false)]
    [InlineData("query -m len 0", "/a?", true)]
    [InlineData("path /a", "http://example.com/a?x", true)]
    public void Url_and_query_fetches(string expression, string url, bool expected) =>
        Assert.Equal(expected, Matches(expression, TestRequest.Get(url)));

    [Theory]
    [InlineData("method GET", "GET", true)]
    [InlineData("method get", "GET", true)]
    [InlineData("method GET HEAD", "HEAD", true)]
    [InlineData("method POST", "GET", false)]
    [InlineData("method -m beg P", "PUT", true)]
    [InlineData("method -m str get", "GET", false)]
    public void Method_is_matched_case_insensitively_by_default(string expression, string method, bool expected) =>
        Assert.Equal(expected, Matches(expression, new TestRequest("/", method)));

    [Theory]
    [InlineData("hdr(host) orders.example.com", "orders.example.com", true)]
    [InlineData("hdr(host) orders.example.com", "Orders.Example.com", false)]
    [InlineData("hdr(host) -i orders.example.com", "Orders.Example.COM", true)]
    [InlineData("hdr(host) -i orders.example.com", "orders.example.com:8080", false)]
    [InlineData("hdr(HOST) -m str orders.example.com", "orders.example.com", true)]
    [InlineData("hdr_beg(host) -i www.", "WWW.example.com", true)]
    [InlineData("hdr_end(host) .example.com", "a.example.com", true)]
    [InlineData("hdr_end(host) .example.com", "example.com", false)]
    [InlineData("hdr_sub(host) ample", "a.example.com", true)]
    [InlineData("hdr_reg(host) ^[a-z]+\\.example\\.com$", "api.example.com", true)]
    [InlineData("hdr_dom(host) example.com", "www.example.com", true)]
    [InlineData("hdr_dom(host) example.com", "www.example.com:8080", true)]
    [InlineData("hdr_dom(host) example.com", "www.example.community", false)]
    [InlineData("hdr_dom(host) .example.com.", "example.com", true)]
    [InlineData("hdr_dom(host) -i EXAMPLE.com", "www.example.com", true)]
    [InlineData("hdr_dir(host) b", "a/b/c", true)]
    [InlineData("hdr_len(host) 11", "example.com", true)]
    [InlineData("hdr_len(host) lt 5", "example.com", false)]
    [InlineData("req.hdr(host) -m str example.com", "example.com", true)]
    [InlineData("req.hdr(host) -m beg ex", "example.com", true)]
    [InlineData("req.hdr(host) example.com", "example.com", true)]
    [InlineData("req.hdr(host),lower -m str example.com", "EXAMPLE.com", true)]
    [InlineData("req.hdr(host),upper -m str EXAMPLE.COM", "example.com", true)]
    [InlineData("hdr(host) -m found", "", true)]
    public void Host_header_fetches(string expression, string host, bool expected) =>
        Assert.Equal(expected, Matches(expression, TestRequest.WithHost("/", host)));

    [Fact]
    public void Header_name_is_case_insensitive_and_missing_headers_never_match()
    {
        Assert.True(Matches("hdr(X-Tenant) -m str gold", TestRequest.Get("/", ("x-tenant", "gold"))));
        Assert.False(Matches("hdr(X-Tenant) -m str gold", TestRequest.Get("/", ("x-tenant", "GOLD"))));
        Assert.False(Matches("hdr(X-Tenant) -m str gold", TestRequest.Get("/")));
        Assert.False(Matches("hdr(X-Tenant) -m found", TestRequest.Get("/")));
        Assert.True(Matches("hdr(X-Tenant) -m found", TestRequest.Get("/", ("X-Tenant", ""))));
    }

    [Fact]
    public void Acl_header_fetches_try_every_comma_separated_value_of_every_occurrence()
    {
        var request = TestRequest.Get("/", ("X-Forwarded-For", "10.0.0.1, 10.0.0.2"), ("x-forwarded-for", "10.0.0.3"));
        Assert.True(Matches("hdr(x-forwarded-for) 10.0.0.1", request));
        Assert.True(Matches("hdr(x-forwarded-for) 10.0.0.2", request));
        Assert.True(Matches("hdr(x-forwarded-for) 10.0.0.3", request));
        Assert.False(Matches("hdr(x-forwarded-for) 10.0.0.1,", request));
        Assert.True(Matches("hdr(x-forwarded-for,1) 10.0.0.1", request));
        Assert.False(Matches("hdr(x-forwarded-for,1) 10.0.0.2", request));
        Assert.True(Matches("hdr(x-forwarded-for,-1) 10.0.0.3", request));
        Assert.True(Matches("hdr(x-forwarded-for,-2) 10.0.0.2", request));
        Assert.True(Matches("hdr_cnt(x-forwarded-for) 3", request));
        Assert.True(Matches("req.fhdr_cnt(x-forwarded-for) 2", request));
        Assert.True(Matches("req.fhdr(x-forwarded-for) -m sub ,", request));
        Assert.False(Matches("hdr(x-forwarded-for) -m sub ,", request));
        Assert.True(Matches("req.fhdr(x-forwarded-for,1) -m beg 10.0.0.1,", request));
        Assert.True(Matches("hdr_cnt(x-missing) eq 0", request));
        Assert.True(Matches("hdr_cnt gt 2", request));
    }

    [Fact]
    public void Quoted_commas_do_not_split_header_values()
    {
        var request = TestRequest.Get("/", ("X-List", "\"a,b\", c"));
        Assert.True(Matches("hdr(x-list) \"a,b\"", request));
        Assert.True(Matches("hdr_cnt(x-list) 2", request));
    }

    [Theory]
    [InlineData("src 192.0.2.10", "192.0.2.10", true)]
    [InlineData("src 192.0.2.0/24", "192.0.2.77", true)]
    [InlineData("src 192.0.2.0/24", "192.0.3.1", false)]
    [InlineData("src 10.0.0.0/255.0.0.0", "10.9.8.7", true)]
    [InlineData("src 127.1", "127.0.0.1", true)]
    [InlineData("src 10.0.0.0/8 192.0.2.0/24", "192.0.2.1", true)]
    [InlineData("src 2001:db8::/32", "2001:db8::1", true)]
    [InlineData("src 2001:db8::/32", "2001:db9::1", false)]
    [InlineData("src 10.0.0.0/8", "::ffff:10.1.2.3", true)]
    [InlineData("src ::ffff:10.0.0.0/104", "10.1.2.3", true)]
    [InlineData("src 10.0.0.0/8", "::10.1.2.3", false)]
    [InlineData("src -m found", "2001:db8::1", true)]
    public void Source_address(string expression, string source, bool expected) =>
        Assert.Equal(expected, Matches(expression, new TestRequest("/", source: source)));

    [Fact]
    public void Source_is_absent_for_unix_clients()
    {
        Assert.False(Matches("src 0.0.0.0/0", new TestRequest("/", source: null)));
        Assert.False(Matches("src -m found", new TestRequest("/", source: null)));
    }

    [Fact]
    public void Base_is_first_host_value_and_path()
    {
        var request = new TestRequest("/a/b?q=1", headers: [("Host", "example.com, other"), ("Host", "third")]);
        Assert.True(Matches("base example.com/a/b", request));
        Assert.True(Matches("base_beg example.com/a", request));
        Assert.True(Matches("base_dom example.com", request));
        Assert.True(Matches("base /x", TestRequest.Get("/x")));
    }

    [Fact]
    public void Minus_i_applies_to_the_patterns_after_it_only()
    {
        // HAProxy: "-i" applies to subsequent patterns; patterns given before a flag are files.
        string dir = Directory.CreateTempSubdirectory("routing-acl").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "exact.lst"), "Mozilla\n");
            File.WriteAllText(Path.Combine(dir, "generic.lst"), "curl\n");
            string config = Path.Combine(dir, "appliance.cfg");
            var table = RoutingConfig.Table(
                "acl ua hdr(user-agent) -f exact.lst -i -f generic.lst test\nuse_backend yes if ua\ndefault_backend no",
                config);
            Assert.Equal("yes", table.BackendFor(TestRequest.Get("/", ("User-Agent", "Mozilla"))));
            Assert.Equal("no", table.BackendFor(TestRequest.Get("/", ("User-Agent", "mozilla"))));
            Assert.Equal("yes", table.BackendFor(TestRequest.Get("/", ("User-Agent", "CURL"))));
            Assert.Equal("yes", table.BackendFor(TestRequest.Get("/", ("User-Agent", "TEST"))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Pattern_files_skip_comments_and_blank_lines_strip_leading_blanks_and_resolve_relative_to_the_config()
    {
        string dir = Directory.CreateTempSubdirectory("routing-acl").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "lists"));
            File.WriteAllText(Path.Combine(dir, "lists", "paths.lst"), "# API prefixes\n/api\n\n   /v2\r\n\t/v3\n #hash\n");
            string absolute = Path.Combine(dir, "abs.lst");
            File.WriteAllText(absolute, "/abs\n");
            var table = RoutingConfig.Table(
                $"acl p path_beg -f lists/paths.lst -f {absolute} /inline\nuse_backend yes if p\ndefault_backend no",
                Path.Combine(dir, "appliance.cfg"));
            foreach (string hit in new[] { "/api/x", "/v2", "/v3/y", "/abs", "/inline" })
                Assert.Equal("yes", table.BackendFor(TestRequest.Get(hit)));
            Assert.Equal("no", table.BackendFor(TestRequest.Get("/other")));
            Assert.Equal("no", table.BackendFor(TestRequest.Get("/#")));
            // " #hash" is a pattern (leading blank), not a comment.
            var hashTable = RoutingConfig.Table(
                $"acl p url -f lists/paths.lst\nuse_backend yes if p\ndefault_backend no",
                Path.Combine(dir, "appliance.cfg"));
            Assert.Equal("yes", hashTable.BackendFor(TestRequest.Get("#hash")));
            Assert.Equal("no", hashTable.BackendFor(TestRequest.Get("# API prefixes")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Several_acl_lines_with_one_name_are_ored()
    {
        var table = RoutingConfig.Table("""
            acl static path_beg /static /images
            acl static path_end .css .js
            acl static hdr(host) -i static.example.com
            use_backend static if static
            default_backend app
            """);
        Assert.Equal("static", table.BackendFor(TestRequest.Get("/static/x")));
        Assert.Equal("static", table.BackendFor(TestRequest.Get("/a/site.css")));
        Assert.Equal("static", table.BackendFor(TestRequest.WithHost("/a", "STATIC.example.com")));
        Assert.Equal("app", table.BackendFor(TestRequest.Get("/a")));
    }

    [Fact]
    public void Integer_operators_apply_to_the_values_after_them()
    {
        var request = TestRequest.Get("/", ("X", "1"), ("X", "2"), ("X", "3"));
        Assert.True(Matches("hdr_cnt(x) ge 3", request));
        Assert.False(Matches("hdr_cnt(x) gt 3", request));
        Assert.True(Matches("hdr_cnt(x) lt 1 eq 3", request));
        Assert.True(Matches("hdr_cnt(x) le 3", request));
        Assert.True(Matches("hdr_cnt(x) 3:", request));
        Assert.True(Matches("hdr_cnt(x) :3", request));
        Assert.False(Matches("hdr_cnt(x) 4:9", request));
        Assert.True(Matches("hdr_cnt(x) -m bool", request));
        Assert.True(Matches("hdr_cnt(x) -m found", request));
    }

    [Fact]
    public void Non_ascii_patterns_match_the_utf8_bytes_of_the_request()
    {
        var request = TestRequest.Get("/café/menu", ("X-City", "Zürich"));
        Assert.True(Matches("path_beg /café", request));
        Assert.False(Matches("path_reg ^/caf./", request));
        Assert.True(Matches("path_reg ^/caf../", request));
        Assert.True(Matches("path_reg é", request));
        Assert.True(Matches("hdr(x-city) -i zürich", request));
        Assert.False(Matches("hdr(x-city) -i ZÜRICH", request));
    }
}
