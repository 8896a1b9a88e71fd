using Appliance.Benchmarks.Fixtures;
using Appliance.Config;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// Loading a 1,000-backend configuration (lex, parse, validate, build the model): runs on the master
/// at start and on every reload, so it bounds how fast a large site reloads. Allocation is expected here.
/// </summary>
[MemoryDiagnoser]
public class ConfigParseBenchmarks
{
    private string _text = "";

    [GlobalSetup]
    public void Setup()
    {
        // 1,000 backends × 2 servers, 1,000 path_beg ACLs and use_backend rules: about 200 KB of text.
        _text = GeneratedConfig.PathBeg(1000);
        GeneratedConfig.Load(_text); // fail here, not inside the measurement, if the text is invalid
    }

    [Benchmark(Description = "LoadText 1,000 backends")]
    public object? Load1000Backends() => ConfigLoader.LoadText(_text, "bench.cfg").Config;
}
