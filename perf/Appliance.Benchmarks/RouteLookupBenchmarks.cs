using Appliance.Benchmarks.Fixtures;
using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Routing.Maps;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// One routing decision over a parsed head, with N services routed either by N <c>path_beg</c> rules
/// (compiled into one prefix trie) or by one <c>map_beg</c> rule over an N-line map. The design promises
/// a cost that does not grow with N; compare the rows. Each operation routes one of 64 different
/// requests (1 in 8 matches nothing and falls to <c>default_backend</c>), so the branch predictor
/// cannot learn one path.
/// </summary>
[MemoryDiagnoser]
public class RouteLookupBenchmarks
{
    private const int Batch = 64;

    private readonly string _mapDirectory = Directory.CreateTempSubdirectory("appliance-bench").FullName;
    private RouteTable _pathBeg = null!;
    private RouteTable _mapBeg = null!;
    private ParsedRequest[] _requests = [];

    [Params(10, 1_000, 10_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pathBeg = Compile(GeneratedConfig.PathBeg(Routes, serversPerBackend: 1));
        _mapBeg = Compile(GeneratedConfig.MapBeg(Routes, Path.Combine(_mapDirectory, "services.map")));
        _requests = SampleRequests.ForServices(Routes, Batch);
        foreach (ParsedRequest request in _requests)
        {
            int expected = _pathBeg.SelectBackend(request);
            if (expected < 0 || _mapBeg.SelectBackend(request) != expected) throw new InvalidOperationException("path_beg and map_beg tables disagree");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_mapDirectory, recursive: true);

    [Benchmark(OperationsPerInvoke = Batch, Description = "Route path_beg")]
    public int PathBeg() => RouteAll(_pathBeg);

    [Benchmark(OperationsPerInvoke = Batch, Description = "Route map_beg")]
    public int MapBeg() => RouteAll(_mapBeg);

    private int RouteAll(RouteTable table)
    {
        int sum = 0;
        foreach (ParsedRequest request in _requests) sum += table.Route(request).Backend;
        return sum;
    }

    /// <summary>Loads the config and compiles its frontend as the engine does (CompiledConfig).</summary>
    internal static RouteTable Compile(string text)
    {
        ApplianceConfig config = GeneratedConfig.Load(text);
        var backends = new BackendDirectory(config.Backends.Select(b => b.Name));
        RouteCompilation compilation = RouteTableCompiler.Compile(config.Frontends[0], backends, new MapRegistry());
        return compilation.Table ?? throw new InvalidOperationException(string.Join("\n", compilation.Diagnostics));
    }
}
