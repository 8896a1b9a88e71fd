namespace Appliance.IntegrationTests.Http;

/// <summary>
/// The path-based routing example of the seed document, run as written: no <c>mode</c> line, no timeouts, no
/// <c>default_backend</c>. Only the bind address and the server addresses change (real origins on ephemeral
/// ports), and a <c>global</c> section with <c>nbthread 1</c> is put in front so round-robin is one strict rotation.
/// Contract: because the file uses layer-7 ACLs (<c>path_beg</c>) in a frontend without a mode, the appliance
/// runs it as HTTP (a request-level router, as the author obviously meant) and warns, naming the file and line,
/// that <c>mode http</c> should be added. Requests are routed one by one (also on a kept-alive connection);
/// a path that matches no rule gets HAProxy's 503 page, as HAProxy does when no backend is selected (and the
/// connection closes or stays usable as the answer's <c>Connection</c> field says).
/// </summary>
public sealed class SeedPathRoutingTests(ITestOutputHelper output)
{
    /// <summary>SEED.md, "Example: Path-Based Routing", byte for byte.</summary>
    private const string SeedExample = """
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
    public void OrdersAndAuthReachTheirOwnPoolAndAlternateInsideIt()
    {
        using var scratch = new ScratchDirectory();
        using var origins = StartSeedOrigins(scratch);
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, SeedConfig(port, origins), output);
        WaitUntilEveryServerAnswers(port, origins);

        var orders = Enumerable.Range(0, 10).Select(i => HttpExchange.BackendOf(port, $"/orders/{i}")).ToArray();
        var auth = Enumerable.Range(0, 10).Select(i => HttpExchange.BackendOf(port, i % 2 == 0 ? $"/auth/login?i={i}" : "/auth")).ToArray();

        AssertStrictAlternation(orders, "orders1", "orders2");
        AssertStrictAlternation(auth, "auth1", "auth2");
        // path_beg is a plain prefix match, as in HAProxy.
        Assert.StartsWith("orders", HttpExchange.BackendOf(port, "/ordersXYZ"));
        Assert.StartsWith("auth", HttpExchange.BackendOf(port, "/authors"));
        // Each origin saw only its own pool's paths.
        foreach (var origin in origins.Members)
        {
            var prefix = origin.Name.StartsWith("orders", StringComparison.Ordinal) ? "/orders" : "/auth";
            Assert.All(origin.ReadRecord().Requests, r => Assert.StartsWith(prefix, r.Target));
        }
    }

    [Fact]
    public void RequestsOnOneKeptAliveConnectionAreRoutedOneByOne()
    {
        using var scratch = new ScratchDirectory();
        using var origins = StartSeedOrigins(scratch);
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, SeedConfig(port, origins), output);
        WaitUntilEveryServerAnswers(port, origins);
        using var connection = LoopbackConnection.Open(port);

        var served = new List<(string Path, string? Backend)>();
        foreach (var path in new[] { "/orders/1", "/auth/1", "/auth/2", "/orders/2", "/orders/3", "/auth/3" })
        {
            connection.SendText(HttpRequests.Get(path));
            var response = HttpResponse.Read(connection);
            Assert.Equal(200, response.Status);
            served.Add((path, response.Header("X-Backend")));
        }

        Assert.All(served, s => Assert.True(s.Backend?.StartsWith(s.Path[1..5], StringComparison.Ordinal) == true,
            $"{s.Path} went to {s.Backend}: {string.Join(", ", served)}"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/order")]
    [InlineData("/Orders/1")]
    [InlineData("/api/orders")]
    [InlineData("/favicon.ico")]
    public void APathMatchingNoRuleGetsHaproxys503(string path)
    {
        using var scratch = new ScratchDirectory();
        using var origins = StartSeedOrigins(scratch);
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, SeedConfig(port, origins), output);
        using var connection = LoopbackConnection.Open(port);

        connection.SendText(HttpRequests.Get(path));
        var response = HttpResponse.Read(connection);

        HaproxyErrorPage.AssertIs(503, response, $"GET {path}");
        Assert.Contains("No server is available to handle this request.", response.BodyText);
        HttpExchange.AssertConnectionFieldHonoured(connection, response, HttpRequests.Get(path), $"after the 503 for {path}");
        Assert.All(origins.Members, origin => Assert.Empty(origin.ReadRecord().Requests));
    }

    [Fact]
    public void WarnsWithFileAndLineToAddModeHttp()
    {
        using var scratch = new ScratchDirectory();
        using var origins = StartSeedOrigins(scratch);
        int port = FreePort.Next();
        var config = SeedConfig(port, origins);
        using var proxy = ApplianceProcess.Start(scratch, config, output);

        // Any line of the frontend that makes it HTTP may be the one named: the section, an ACL or a rule.
        var candidates = new[] { "frontend api_gateway", "acl is_orders", "acl is_auth", "use_backend orders_backend", "use_backend auth_backend" }
            .Select(fragment => $"{proxy.ConfigPath}:{ConfigLines.NumberOf(config, fragment)}")
            .ToArray();
        var warning = proxy.Stderr.Snapshot().FirstOrDefault(line => line.Contains("add 'mode http'", StringComparison.Ordinal));

        Assert.True(warning is not null, $"no stderr line containing \"add 'mode http'\".\n{proxy.Diagnostics()}");
        Assert.True(candidates.Any(location => warning.Contains(location + ":", StringComparison.Ordinal)),
            $"the warning names none of {string.Join(", ", candidates)}: {warning}");
    }

    private static void AssertStrictAlternation(string?[] servers, string first, string second)
    {
        var served = string.Join(", ", servers);
        Assert.All(servers, server => Assert.True(server == first || server == second, $"{server} is outside the pool: {served}"));
        for (int i = 1; i < servers.Length; i++)
        {
            Assert.True(servers[i] != servers[i - 1], $"requests {i - 1} and {i} both went to {servers[i]}: {served}");
        }
    }

    private static BackendGroup StartSeedOrigins(ScratchDirectory scratch) =>
        BackendGroup.StartRecordingOrigins(scratch, ["orders1", "orders2", "auth1", "auth2"]);

    /// <summary>The seed example with the proxy's port and the origins' addresses in place of the seed's.</summary>
    private static string SeedConfig(int port, BackendGroup origins)
    {
        var config = SeedExample.Replace("bind *:80", $"bind 127.0.0.1:{port}", StringComparison.Ordinal);
        foreach (var (name, seedPort) in new[] { ("orders1", 9001), ("orders2", 9002), ("auth1", 9011), ("auth2", 9012) })
        {
            config = config.Replace($"127.0.0.1:{seedPort} ", $"{origins[name].Address} ", StringComparison.Ordinal);
        }

        return "global\n    nbthread 1\n\n" + config;
    }

    /// <summary>
    /// Servers with <c>check</c> may start down until their first checks pass (default inter 2 s); routing is
    /// measured once every server has answered through the proxy.
    /// </summary>
    private static void WaitUntilEveryServerAnswers(int port, BackendGroup origins)
    {
        var seen = new HashSet<string>();
        Eventually.True(
            () =>
            {
                foreach (var path in new[] { "/orders/warmup", "/auth/warmup" })
                {
                    if (HttpExchange.BackendOf(port, path) is { } backend)
                    {
                        seen.Add(backend);
                    }
                }

                return seen.Count == origins.Members.Count;
            },
            TimeSpan.FromSeconds(15),
            "all four seed servers answer through the proxy");
    }
}
