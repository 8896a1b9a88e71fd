using System.Text;
using Appliance.Config;
using Appliance.Engine;
using Appliance.Logging;
using Appliance.Metrics;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// One whole scrape of a worker with 1,000 HTTP backends × 2 checked servers (2,000 servers, as the
/// issue's target), rendered by <see cref="MetricsExporter"/>: all scopes, and the server scope alone.
/// The worker really runs (2 idle shards, no frontend), so the render reads live shard counters.
/// </summary>
[MemoryDiagnoser]
public class ScrapeRenderBenchmarks
{
    private RunningProxy _proxy = null!;
    private MetricsExporter _exporter = null!;

    [GlobalSetup]
    public void Setup()
    {
        var text = new StringBuilder("global\n nbthread 2\ndefaults\n mode http\n timeout connect 1s\n timeout client 5s\n timeout server 5s\n");
        for (int i = 0; i < 1000; i++)
        {
            // Unroutable TEST-NET addresses, checks far apart: the prober stays quiet during the run.
            text.Append($"backend svc_{i}\n server a 192.0.2.{i % 250 + 1}:{8000 + i / 250} check inter 1h\n server b 198.51.100.{i % 250 + 1}:{8000 + i / 250} check inter 1h\n");
        }
        ConfigLoadResult loaded = ConfigLoader.LoadText(text.ToString(), "bench.cfg");
        if (!loaded.Succeeded) throw new InvalidOperationException(string.Join("\n", loaded.Errors));
        var diagnostics = new List<ConfigDiagnostic>();
        CompiledConfig compiled = CompiledConfig.Compile(loaded.Config!, diagnostics)
                                  ?? throw new InvalidOperationException(string.Join("\n", diagnostics));
        _proxy = RunningProxy.Start(compiled, new StderrEventLog(TextWriter.Null), out string? error)
                 ?? throw new InvalidOperationException(error);
        _exporter = new MetricsExporter(_proxy.Worker, null, null);
        if (_exporter.Render().Length < 1_000_000) throw new InvalidOperationException("exposition unexpectedly small");
    }

    [GlobalCleanup]
    public void Cleanup() => _proxy.Dispose();

    [Benchmark(Description = "Render all scopes, 2,000 servers")]
    public int RenderAll() => _exporter.RenderResponse(MetricsScope.All).Length;

    [Benchmark(Description = "Render scope=server, 2,000 servers")]
    public int RenderServers() => _exporter.RenderResponse(MetricsScope.Server).Length;
}
