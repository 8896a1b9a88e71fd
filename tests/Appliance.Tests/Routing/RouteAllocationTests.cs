using Appliance.Tests.Support;
using Appliance.Routing;

namespace Appliance.Tests.Routing;

/// <summary>Routing allocates nothing per request once warm (shards route without GC pressure).</summary>
public sealed class RouteAllocationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("routing-alloc").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Ten_thousand_lookups_allocate_nothing_after_warm_up()
    {
        File.WriteAllText(Path.Combine(_dir, "hosts.map"), "a.example.com svc_a\nb.example.com svc_b\n");
        File.WriteAllText(Path.Combine(_dir, "paths.map"), "/m/ svc_m\n/m/deep/ svc_deep\n");
        string text = """
            acl is_api path_beg /api /v2/api
            acl is_auth path_beg -i /auth
            acl host_x hdr(host) -i x.example.com
            acl gold hdr(X-Tenant) -m str gold
            acl images path_end .png .jpg
            acl internal src 10.0.0.0/8 2001:db8::/32
            acl versioned path_reg ^/v[0-9]+/
            acl dom hdr_dom(host) example.org
            acl many hdr_cnt(x-forwarded-for) gt 2
            use_backend svc_api if is_api
            use_backend svc_auth if is_auth
            use_backend svc_x if host_x
            use_backend svc_gold if gold
            use_backend svc_img if images !internal
            use_backend svc_ver if versioned || dom many
            use_backend svc_internal if internal { method POST }
            use_backend %[path,map_beg(paths.map)] if { path_beg /m/ }
            use_backend svc_%[base,lower,map_beg(paths.map,none)]_x if { path_beg /z }
            use_backend %[req.hdr(host),lower,map(hosts.map,svc_default)]
            """;
        var table = RoutingConfig.Table(text, Path.Combine(_dir, "appliance.cfg"),
            "svc_m", "svc_deep", "svc_a", "svc_b", "svc_default", "svc_none_x");
        TestRequest[] requests =
        [
            TestRequest.Get("/api/users"),
            TestRequest.Get("/AUTH/login"),
            TestRequest.WithHost("/", "X.example.com"),
            TestRequest.Get("/", ("X-Tenant", "gold")),
            new("/img/a.png", source: "192.0.2.1"),
            new("/img/a.png", source: "10.1.1.1", headers: [("Host", "b.example.com")]),
            TestRequest.Get("/v3/x"),
            TestRequest.Get("/", ("Host", "www.example.org"), ("X-Forwarded-For", "1.1.1.1, 2.2.2.2"), ("X-Forwarded-For", "3.3.3.3")),
            new("/", "POST", "2001:db8::5"),
            TestRequest.Get("/m/deep/1"),
            TestRequest.WithHost("/z/q", "EXAMPLE.com"),
            TestRequest.WithHost("/", "A.Example.com"),
            TestRequest.WithHost("/", "nowhere.example.com"),
            TestRequest.WithHost("/nothing", "b.example.com"),
        ];

        // Warm-up: JIT, thread-static scratch buffers, the regex engines' lazily built states.
        long checksum = 0;
        for (int round = 0; round < 200; round++)
        {
            foreach (TestRequest request in requests) checksum += table.Route(request).Backend;
        }
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++) checksum += table.Route(requests[i % requests.Length]).Backend;
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);

        // And every request reaches a backend, so the loop exercised every kind of rule.
        foreach (TestRequest request in requests) Assert.True(table.Route(request).HasBackend, request.ToString());
    }
}
