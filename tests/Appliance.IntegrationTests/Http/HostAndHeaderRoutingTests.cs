namespace Appliance.IntegrationTests.Http;

/// <summary>
/// The seed document's other two strategies: host-based (<c>hdr(host) -i</c>) and header-based
/// (<c>hdr(X-Tenant) -m str</c>) routing, with a <c>default_backend</c> for everything else. Contract, as in
/// HAProxy: <c>hdr(NAME)</c> compares the whole field value (so <c>Host: orders.example.com:8080</c> does not
/// match <c>orders.example.com</c>), <c>-i</c> ignores case, without it the match is exact.
/// </summary>
public sealed class HostAndHeaderRoutingTests(ITestOutputHelper output)
{
    [Fact]
    public void HostHeaderChoosesTheBackendCaseInsensitively()
    {
        using var scratch = new ScratchDirectory();
        using var origins = BackendGroup.StartRecordingOrigins(scratch, ["orders", "web"]);
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, $"""
            {ConfigTemplates.Global(nbthread: 1)}
            {ConfigTemplates.HttpDefaults}

            frontend gateway
                bind 127.0.0.1:{port}
                acl host_orders hdr(host) -i orders.example.com
                use_backend orders_backend if host_orders
                default_backend web_backend

            backend orders_backend
                server orders {origins["orders"].Address}

            backend web_backend
                server web {origins["web"].Address}
            """, output);

        Assert.Equal("orders", HttpExchange.BackendOf(port, "/", host: "orders.example.com"));
        Assert.Equal("orders", HttpExchange.BackendOf(port, "/x", host: "ORDERS.Example.COM"));
        Assert.Equal("web", HttpExchange.BackendOf(port, "/", host: "auth.example.com"));
        Assert.Equal("web", HttpExchange.BackendOf(port, "/", host: "orders.example.com.evil.test"));
        Assert.Equal("web", HttpExchange.BackendOf(port, "/", host: "orders.example.com:8080"));
        Assert.Equal(
            ["ORDERS.Example.COM", "orders.example.com"],
            origins["orders"].ReadRecord().Requests.Select(r => r.Header("Host")!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TenantHeaderChoosesTheBackendWithAnExactMatch()
    {
        using var scratch = new ScratchDirectory();
        using var origins = BackendGroup.StartRecordingOrigins(scratch, ["gold", "standard"]);
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, $"""
            {ConfigTemplates.Global(nbthread: 1)}
            {ConfigTemplates.HttpDefaults}

            frontend gateway
                bind 127.0.0.1:{port}
                acl gold hdr(X-Tenant) -m str gold
                use_backend gold_backend if gold
                default_backend standard_backend

            backend gold_backend
                server gold {origins["gold"].Address}

            backend standard_backend
                server standard {origins["standard"].Address}
            """, output);

        Assert.Equal("gold", HttpExchange.BackendOf(port, "/a", fields: "X-Tenant: gold"));
        Assert.Equal("gold", HttpExchange.BackendOf(port, "/b", fields: "x-tenant:gold"));
        Assert.Equal("standard", HttpExchange.BackendOf(port, "/c", fields: "X-Tenant: silver"));
        Assert.Equal("standard", HttpExchange.BackendOf(port, "/d", fields: "X-Tenant: GOLD"));
        Assert.Equal("standard", HttpExchange.BackendOf(port, "/e", fields: "X-Tenant: golden"));
        Assert.Equal("standard", HttpExchange.BackendOf(port, "/f"));
        Assert.Equal(["/a", "/b"], origins["gold"].ReadRecord().Requests.Select(r => r.Target));
    }
}
