using Appliance.Config.Model;
using static Appliance.Tests.Config.ConfigTestSupport;

namespace Appliance.Tests.Config;

public sealed class ImplicitHttpModeTests
{
    private const string PathSeed = """
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
    public void The_path_seed_without_a_mode_line_runs_in_http_mode_with_a_warning_naming_the_fix()
    {
        var result = Load(PathSeed);
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.All(result.Config!.Frontends, f => Assert.Equal(ProxyMode.Http, f.Mode));
        Assert.All(result.Config.Backends, b => Assert.Equal(ProxyMode.Http, b.Mode));
        Assert.Equal(
            "test.cfg:4: warning: section 'api_gateway': HTTP fetch 'path_beg' in a frontend without a 'mode' line (TCP by default): "
            + "running it in HTTP mode; add 'mode http' to it or to its defaults section",
            result.Warnings[0].ToString());
        Assert.Contains(result.Warnings, w => w.ToString().StartsWith("test.cfg:10: warning: section 'orders_backend': used by HTTP frontend 'api_gateway'", StringComparison.Ordinal));
    }

    [Fact]
    public void An_explicit_mode_tcp_is_kept_and_layer4_fetches_do_not_switch_modes()
    {
        var config = LoadValid("""
            frontend fe
                mode tcp
                bind :80
                acl local src 127.0.0.1
                use_backend be if local
            backend be
                mode tcp
                server s 127.0.0.1:1

            """);
        Assert.Equal(ProxyMode.Tcp, config.Frontends[0].Mode);

        var implicitTcp = LoadValid("frontend fe\n bind :80\n acl local src 127.0.0.1\n use_backend be if local\nbackend be\n server s 127.0.0.1:1\n");
        Assert.Equal(ProxyMode.Tcp, implicitTcp.Frontends[0].Mode);
    }

    [Fact]
    public void A_backend_with_an_explicit_tcp_mode_still_conflicts()
    {
        var result = Load("frontend fe\n bind :80\n acl a path_beg /a\n use_backend be if a\nbackend be\n mode tcp\n server s 127.0.0.1:1\n");
        Assert.False(result.Succeeded);
        Assert.Contains("their modes must match", result.Errors[0].ToString());
    }
}
