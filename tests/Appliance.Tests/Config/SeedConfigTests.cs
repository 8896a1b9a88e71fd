using System.Net;
using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

/// <summary>The two configurations the product is first demonstrated with.</summary>
public class SeedConfigTests
{
    private const string Simple = """
        frontend http_front
            bind *:80
            default_backend web_back

        backend web_back
            balance roundrobin
            server app1 127.0.0.1:9094 check
            server app2 127.0.0.1:9095 check
        """;

    private const string PathBased = """
        frontend api_gateway
            bind *:80

            acl is_orders path_beg /orders
            acl is_auth path_beg /auth

            use_backend orders_backend if is_orders
            use_backend auth_backend if is_auth

        backend orders_backend
            server orders1 127.0.0.1:9001 check
            server orders2 127.0.0.1:9002 check

        backend auth_backend
            server auth1 127.0.0.1:9011 check
            server auth2 127.0.0.1:9012 check
        """;

    [Fact]
    public void SimpleSeed_OneTcpFrontendToRoundRobinBackendWithTwoCheckedServers()
    {
        var result = Load(Simple);
        Assert.True(result.Succeeded);
        Assert.Empty(result.Warnings);
        var config = result.Config!;

        var frontend = Assert.Single(config.Frontends);
        Assert.Equal("http_front", frontend.Name);
        Assert.Equal(ProxyMode.Tcp, frontend.Mode);
        var bind = Assert.Single(frontend.Binds);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 80), bind.EndPoint);
        Assert.Equal(new SourceLocation(FileName, 2), bind.Location);
        Assert.Equal("web_back", frontend.DefaultBackend);

        var backend = Assert.Single(config.Backends);
        Assert.Equal("web_back", backend.Name);
        Assert.Equal(ProxyMode.Tcp, backend.Mode);
        Assert.Equal(BalanceAlgorithm.RoundRobin, backend.Balance);
        Assert.Equal(BackendConfig.DefaultRetries, backend.Retries);
        Assert.Equal(
            [
                new ServerConfig("app1", new IPEndPoint(IPAddress.Loopback, 9094), new SourceLocation(FileName, 7), Check: true),
                new ServerConfig("app2", new IPEndPoint(IPAddress.Loopback, 9095), new SourceLocation(FileName, 8), Check: true),
            ],
            backend.Servers);
        Assert.Same(backend, config.FindBackend("web_back"));
    }

    [Fact]
    public void PathBasedSeed_KeepsAclsAndRulesInOrder()
    {
        var config = LoadValid(PathBased);
        var frontend = Assert.Single(config.Frontends);
        Assert.Null(frontend.DefaultBackend);
        Assert.Equal(
            [
                new AclConfig("is_orders", "path_beg", new ValueList<string>(["/orders"]), new SourceLocation(FileName, 4)),
                new AclConfig("is_auth", "path_beg", new ValueList<string>(["/auth"]), new SourceLocation(FileName, 5)),
            ],
            frontend.Acls);
        Assert.Equal(
            [
                new UseBackendRule("orders_backend", new ConditionConfig(false, new ValueList<string>(["is_orders"])), new SourceLocation(FileName, 7)),
                new UseBackendRule("auth_backend", new ConditionConfig(false, new ValueList<string>(["is_auth"])), new SourceLocation(FileName, 8)),
            ],
            frontend.UseBackends);
        Assert.Equal(["orders_backend", "auth_backend"], config.Backends.Select(b => b.Name));
        Assert.Equal([9011, 9012], config.FindBackend("auth_backend")!.Servers.Select(s => s.Address.Port));
    }

    [Fact]
    public void SameTextLoadsToEqualModels()
    {
        // Reloads diff configs by value, so two loads of the same text must compare equal.
        Assert.Equal(LoadValid(PathBased), LoadValid(PathBased));
        Assert.NotEqual(LoadValid(PathBased), LoadValid(PathBased.Replace("9012", "9013")));
    }
}
