using System.Diagnostics;
using System.Text;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// "Hundreds of microservices behind one port": 500 services with two instances each, written two ways that
/// HAProxy users write them: 500 <c>path_beg</c> ACLs with 500 <c>use_backend</c> rules, and one
/// <c>use_backend %[path,map_beg(FILE,unmatched)]</c> rule with a map file. Contract: either file is ready
/// (<c>Appliance ready</c>) less than 1 s after the process starts, and every request reaches one of its own
/// service's two servers; a path no service claims goes to the backend <c>unmatched</c>. Twenty real origins
/// stand in for the 1,000 instances: service i's servers point at two different origins, so a request routed
/// to the wrong service shows up as the wrong <c>X-Backend</c> for most services (pairs overlap, so one stray
/// request may go unnoticed, a routing bug cannot).
/// </summary>
public sealed class ManyServicesRoutingTests(ITestOutputHelper output)
{
    private const int Services = 500;
    private const int Origins = 20;
    private const int SampledRequests = 1000;
    private const int ClientConnections = 8;

    /// <summary>The design goal for a 1,000-server file: parsing, compiling routes and binding stay far below a second.</summary>
    private static readonly TimeSpan ReadyLimit = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FiveHundredServicesAreReadyWithinASecondAndRouteEveryRequestToItsOwnServers(bool mapFile)
    {
        var style = mapFile ? "one map_beg rule" : "500 path_beg ACLs";
        using var scratch = new ScratchDirectory();
        using var origins = BackendGroup.StartOrigins([.. Enumerable.Range(0, Origins).Select(i => $"origin{i:00}"), "unmatched"]);
        int port = FreePort.Next();
        var config = mapFile ? MapConfig(scratch, port, origins) : AclConfig(port, origins);

        var clock = Stopwatch.StartNew();
        using var proxy = ApplianceProcess.Launch(scratch, config, output);
        proxy.WaitUntilReady(ApplianceProcess.DefaultReadyTimeout);
        var readyAfter = clock.Elapsed;
        output.WriteLine($"{style}: {config.Split('\n').Length} config lines, ready after {readyAfter.TotalMilliseconds:0} ms");

        var random = new Random(20260101);
        var samples = Enumerable.Range(0, SampledRequests)
            .Select(k => random.Next(20) == 0 ? (Service: -1, Path: $"/nowhere/{k}") : SampleOf(random.Next(Services), k))
            .ToArray();
        var misrouted = await RouteAllAsync(port, samples, origins);

        Assert.True(readyAfter < ReadyLimit, $"{style}: ready after {readyAfter.TotalMilliseconds:0} ms, limit {ReadyLimit.TotalMilliseconds:0} ms");
        Assert.True(misrouted.Count == 0, $"{misrouted.Count} of {SampledRequests} requests misrouted:\n{string.Join('\n', misrouted.Take(20))}");
    }

    private static (int Service, string Path) SampleOf(int service, int k) =>
        (service, $"/svc{service:000}/{(k % 3 == 0 ? "" : $"items/{k}?q={k}")}");

    /// <summary>The two origins serving service <paramref name="service"/>: always two different ones.</summary>
    private static (int First, int Second) OriginsOf(int service)
    {
        int first = service % Origins;
        int second = (first + 1 + service / Origins % (Origins - 1)) % Origins;
        return (first, second);
    }

    /// <summary>Requests over a few kept-alive client connections; returns a line per misrouted request.</summary>
    private static async Task<List<string>> RouteAllAsync(int port, (int Service, string Path)[] samples, BackendGroup origins)
    {
        var misrouted = new List<string>();
        var workers = Enumerable.Range(0, ClientConnections).Select(worker => Task.Factory.StartNew(() =>
        {
            using var connection = LoopbackConnection.Open(port);
            for (int i = worker; i < samples.Length; i += ClientConnections)
            {
                var (service, path) = samples[i];
                connection.SendText(HttpRequests.Get(path));
                var response = HttpResponse.Read(connection);
                var backend = response.Header("X-Backend");
                var expected = service < 0
                    ? ["unmatched"]
                    : new[] { origins.Members[OriginsOf(service).First].Name, origins.Members[OriginsOf(service).Second].Name };
                if (response.Status != 200 || !expected.Contains(backend) || response.Header("X-Request-Target") != path)
                {
                    lock (misrouted)
                    {
                        misrouted.Add($"{path}: status {response.Status}, X-Backend {backend}, expected one of {string.Join('/', expected)}");
                    }
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);
        return misrouted;
    }

    private static string AclConfig(int port, BackendGroup origins)
    {
        var text = new StringBuilder(Head(port));
        for (int s = 0; s < Services; s++)
        {
            text.Append($"    acl is_svc{s:000} path_beg /svc{s:000}/\n");
        }

        for (int s = 0; s < Services; s++)
        {
            text.Append($"    use_backend svc{s:000} if is_svc{s:000}\n");
        }

        return text.Append("    default_backend unmatched\n").Append(Backends(origins)).ToString();
    }

    private static string MapConfig(ScratchDirectory scratch, int port, BackendGroup origins)
    {
        var map = new StringBuilder("# path prefix -> backend\n");
        for (int s = 0; s < Services; s++)
        {
            map.Append($"/svc{s:000}/ svc{s:000}\n");
        }

        var mapPath = scratch.WriteFile("services.map", map.ToString());
        return Head(port) + $"    use_backend %[path,map_beg({mapPath},unmatched)]\n" + Backends(origins);
    }

    private static string Head(int port) => $"""
        {ConfigTemplates.Global(nbthread: 2)}
        {ConfigTemplates.HttpDefaults}

        frontend gateway
            bind 127.0.0.1:{port}

        """;

    private static string Backends(BackendGroup origins)
    {
        var text = new StringBuilder();
        for (int s = 0; s < Services; s++)
        {
            var (first, second) = OriginsOf(s);
            text.Append($"\nbackend svc{s:000}\n")
                .Append($"    server a {origins.Members[first].Address}\n")
                .Append($"    server b {origins.Members[second].Address}\n");
        }

        return text.Append($"\nbackend unmatched\n    server unmatched {origins["unmatched"].Address}\n").ToString();
    }
}
