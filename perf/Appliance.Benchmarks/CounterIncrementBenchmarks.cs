using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// What a request pays for its statistics on the shard: a plain add into the shard's padded counter
/// arrays (<see cref="ProxyCounters"/>), one latency observation into a server's histogram, against an
/// interlocked increment of one shared counter (what a shared registry would cost at best, uncontended).
/// Must allocate 0 B.
/// </summary>
[MemoryDiagnoser]
public class CounterIncrementBenchmarks
{
    private ProxyCounters _counters = null!;
    private ServerState _server = null!;
    private long _shared;
    private long _micros;

    [GlobalSetup]
    public void Setup()
    {
        var location = new SourceLocation("bench.cfg", 1);
        var servers = new ServerConfig[8];
        for (int i = 0; i < servers.Length; i++) servers[i] = new ServerConfig($"s{i}", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 10000 + i), location);
        var config = new BackendConfig("bench", ProxyMode.Http, BalanceAlgorithm.RoundRobin, new ValueList<ServerConfig>(servers),
            BackendConfig.DefaultRetries, Redispatch: false, Timeouts.None, location);
        var state = new BackendState(config, 2);
        _server = state.Servers[5];
        _counters = new ProxyCounters(shard: 1, frontendCount: 4, backendCount: 3);
    }

    [Benchmark(Baseline = true, Description = "Interlocked.Increment (shared)")]
    public long Interlocked() => System.Threading.Interlocked.Increment(ref _shared);

    [Benchmark(Description = "Shard-local add (bytes in)")]
    public void ShardLocalAdd() => _counters.AddServer(_server, ProxyCounters.ServerBytesIn, 512);

    [Benchmark(Description = "Per request: frontend+backend+server bytes, response class")]
    public void PerRequestCounters()
    {
        _counters.AddFrontend(2, ProxyCounters.FrontendBytesIn, 512);
        _counters.AddFrontend(2, ProxyCounters.FrontendBytesOut, 4096);
        _counters.AddBackend(1, ProxyCounters.BackendBytesIn, 512);
        _counters.AddBackend(1, ProxyCounters.BackendBytesOut, 4096);
        _counters.AddServer(_server, ProxyCounters.ServerBytesIn, 512);
        _counters.AddServer(_server, ProxyCounters.ServerBytesOut, 4096);
        _counters.AddServer(_server, ProxyCounters.ServerResponses + 1, 1);
    }

    [Benchmark(Description = "Latency observation (histogram)")]
    public void RecordLatency()
    {
        // Walks the buckets: values spread from 0 to ~3 s.
        _micros = (_micros + 7919) & 0x3FFFFF;
        _counters.RecordLatency(_server, ProxyCounters.ServerResponseTime, _micros);
    }
}
