using System.Diagnostics;
using System.Text;
using Appliance.Routing;
using Appliance.Routing.Maps;

namespace Appliance.Tests.Routing;

/// <summary>500 services through one frontend, as 500 path_beg rules and as one map_beg rule.</summary>
public sealed class RouteScaleTests : IDisposable
{
    private const int Services = 500;

    private readonly string _dir = Directory.CreateTempSubdirectory("routing-scale").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] BackendNames() => [.. Enumerable.Range(0, Services).Select(i => $"svc{i}_backend"), "fallback"];

    /// <summary>1,000 requests over the services (fixed seed), with the service each one belongs to.</summary>
    private static (TestRequest Request, int Service)[] Sample()
    {
        var random = new Random(500);
        return [.. Enumerable.Range(0, 1000).Select(_ =>
        {
            int service = random.Next(Services + 50);
            string path = service < Services ? $"/svc{service}/items/{random.Next(1000)}?page={random.Next(9)}" : $"/unknown{service}/x";
            return (TestRequest.Get(path), service < Services ? service : -1);
        })];
    }

    [Fact]
    public void Five_hundred_path_beg_rules_compile_into_one_trie_and_route_correctly()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Services; i++) text.Append($"acl is_svc{i} path_beg /svc{i}/\n");
        for (int i = 0; i < Services; i++) text.Append($"use_backend svc{i}_backend if is_svc{i}\n");
        text.Append("default_backend fallback\n");
        FrontendCheck(text.ToString(), expectPrefixSegment: true);
    }

    [Fact]
    public void One_map_beg_rule_over_five_hundred_services_routes_correctly()
    {
        var map = new StringBuilder("# path prefix -> backend\n");
        for (int i = 0; i < Services; i++) map.Append($"/svc{i}/ svc{i}_backend\n");
        File.WriteAllText(Path.Combine(_dir, "services.map"), map.ToString());
        FrontendCheck("use_backend %[path,map_beg(services.map)]\ndefault_backend fallback", expectPrefixSegment: false);
    }

    private void FrontendCheck(string text, bool expectPrefixSegment)
    {
        var backends = new BackendDirectory(BackendNames());
        var frontend = RoutingConfig.Frontend(text, Path.Combine(_dir, "appliance.cfg"));
        var clock = Stopwatch.StartNew();
        RouteCompilation result = RouteTableCompiler.Compile(frontend, backends, new MapRegistry());
        clock.Stop();
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"compile took {clock.Elapsed}");
        RouteTable table = result.Table!;
        if (expectPrefixSegment) Assert.Equal("path-prefix", Assert.Single(table.Segments).Kind);

        backends.TryResolve("fallback", out int fallback);
        foreach (var (request, service) in Sample())
        {
            int expected = service >= 0 ? service : fallback;
            Assert.Equal(expected, table.SelectBackend(request));
            Assert.Equal(expected, table.RouteByOrderedEvaluation(request).Backend);
        }
    }

    [Fact]
    public void Five_hundred_host_rules_compile_into_one_hash_segment()
    {
        var text = new StringBuilder();
        for (int i = 0; i < Services; i++) text.Append($"acl host{i} hdr(host) -i svc{i}.example.com\n");
        for (int i = 0; i < Services; i++) text.Append($"use_backend svc{i}_backend if host{i}\n");
        var backends = new BackendDirectory(BackendNames());
        RouteCompilation result = RouteTableCompiler.Compile(RoutingConfig.Frontend(text.ToString()), backends, new MapRegistry());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        RouteTable table = result.Table!;
        Assert.Equal("header-exact", Assert.Single(table.Segments).Kind);
        Assert.Equal(123, table.SelectBackend(TestRequest.WithHost("/", "SVC123.example.com")));
        Assert.Equal(RouteTable.NoBackend, table.SelectBackend(TestRequest.WithHost("/", "svc123.example.com:80")));
    }
}
