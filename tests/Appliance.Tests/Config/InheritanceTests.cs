using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public class InheritanceTests
{
    [Fact]
    public void ProxiesInheritEveryInheritableKeywordFromDefaults()
    {
        var config = LoadValid("""
            defaults
                mode http
                timeout connect 4s
                timeout client 40s
                balance leastconn
                retries 7
                option redispatch
                maxconn 300
                default-server check weight 20
                default_backend b
            frontend f
                bind :80
            backend b
                server s 10.0.0.1:80
            """);
        var frontend = Assert.Single(config.Frontends);
        Assert.Equal(ProxyMode.Http, frontend.Mode);
        Assert.Equal(300, frontend.MaxConn);
        Assert.Equal("b", frontend.DefaultBackend);
        Assert.Equal(TimeSpan.FromSeconds(40), frontend.Timeouts.Client);
        var backend = Assert.Single(config.Backends);
        Assert.Equal(ProxyMode.Http, backend.Mode);
        Assert.Equal(BalanceAlgorithm.LeastConn, backend.Balance);
        Assert.Equal(7, backend.Retries);
        Assert.True(backend.Redispatch);
        Assert.Equal(TimeSpan.FromSeconds(4), backend.Timeouts.Connect);
        var server = Assert.Single(backend.Servers);
        Assert.True(server.Check);
        Assert.Equal(20, server.Weight);
    }

    [Fact]
    public void EachProxyUsesTheLastDefaultsAboveIt()
    {
        var config = LoadValid("defaults\n mode http\nbackend a\ndefaults\n retries 1\nbackend b\n");
        var a = config.FindBackend("a")!;
        var b = config.FindBackend("b")!;
        Assert.Equal((ProxyMode.Http, 3), (a.Mode, a.Retries));
        // A new defaults section starts from scratch: it does not carry 'mode http' from the one above.
        Assert.Equal((ProxyMode.Tcp, 1), (b.Mode, b.Retries));
    }

    [Fact]
    public void NamedDefaultsAlsoApplyImplicitly()
    {
        // HAProxy: the latest defaults section applies, whether it has a name or not.
        Assert.Equal(ProxyMode.Http, LoadValid("defaults web\n mode http\nbackend b\n").Backends[0].Mode);
    }

    [Fact]
    public void FromPicksANamedDefaultsSection()
    {
        var config = LoadValid(
            "defaults tcp_profile\n retries 9\n" +
            "defaults http_profile\n mode http\n" +
            "backend a from tcp_profile\n" +
            "backend b\n" +
            "defaults child from http_profile\n retries 2\n" +
            "backend c from child\n");
        Assert.Equal((ProxyMode.Tcp, 9), (config.FindBackend("a")!.Mode, config.FindBackend("a")!.Retries));
        Assert.Equal((ProxyMode.Http, 3), (config.FindBackend("b")!.Mode, config.FindBackend("b")!.Retries));
        Assert.Equal((ProxyMode.Http, 2), (config.FindBackend("c")!.Mode, config.FindBackend("c")!.Retries));
    }

    [Fact]
    public void ProxySettingsAreCopiedWhenTheProxyStarts()
    {
        // A later defaults section, even with the same effect, must not change proxies above it.
        var config = LoadValid("defaults\n timeout connect 1s\nbackend a\ndefaults\n timeout connect 2s\nbackend b\n");
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], config.Backends.Select(b => b.Timeouts.Connect!.Value));
    }

    [Fact]
    public void ListenGivesAFrontendAndABackendOfTheSameName()
    {
        var config = LoadValid("defaults\n mode http\nlisten web\n bind :8080\n balance first\n server s 10.0.0.1:80 check\n");
        var frontend = Assert.Single(config.Frontends);
        var backend = Assert.Single(config.Backends);
        Assert.Equal("web", frontend.Name);
        Assert.Equal("web", backend.Name);
        Assert.Equal("web", frontend.DefaultBackend);
        Assert.Equal(ProxyMode.Http, frontend.Mode);
        Assert.Equal(BalanceAlgorithm.First, backend.Balance);
        Assert.Equal(new SourceLocation(FileName, 3), frontend.Location);
        Assert.Equal(frontend.Location, backend.Location);
    }

    [Fact]
    public void ListenIgnoresAnInheritedDefaultBackendButHonoursItsOwn()
    {
        var config = LoadValid(
            "defaults\n default_backend other\n" +
            "listen self\n bind :1\n server s 10.0.0.1:80\n" +
            "listen redirect\n bind :2\n default_backend other\n" +
            "frontend plain\n bind :3\n" +
            "backend other\n");
        Assert.Equal(["self", "other", "other"], config.Frontends.Select(f => f.DefaultBackend));
    }

    [Fact]
    public void ListenWithoutBindIsABackendOnly()
    {
        var result = Load("listen pool\n server s 10.0.0.1:80\n");
        Assert.True(result.Succeeded);
        Assert.Empty(result.Config!.Frontends);
        Assert.Equal("pool", Assert.Single(result.Config.Backends).Name);
        Assert.Equal(["test.cfg:1: warning: section 'pool': keyword 'listen': listen 'pool' has no bind line: it is used as a backend only"],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void AFrontendAndABackendMayShareAName()
    {
        var config = LoadValid("frontend app\n bind :80\n default_backend app\nbackend app\n server s 10.0.0.1:80\n");
        Assert.Equal("app", config.Frontends[0].DefaultBackend);
        Assert.Equal("app", config.Backends[0].Name);
    }
}
