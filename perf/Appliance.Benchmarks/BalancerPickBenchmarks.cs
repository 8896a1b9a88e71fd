using System.Net;
using Appliance.Balancing;
using Appliance.Config.Model;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// One <see cref="Balancer.Pick"/> on a shard's picker. Shards matter to <c>leastconn</c>: a server's
/// load is the sum of one padded counter per shard. Servers start with uneven loads spread over the
/// shards (as under traffic), so <c>leastconn</c> compares real numbers rather than ties.
/// </summary>
[MemoryDiagnoser]
public class BalancerPickBenchmarks
{
    private Balancer _balancer = null!;

    [Params(BalanceAlgorithm.RoundRobin, BalanceAlgorithm.LeastConn)]
    public BalanceAlgorithm Algorithm { get; set; }

    [Params(2, 100)]
    public int Servers { get; set; }

    [Params(2, 16)]
    public int Shards { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var location = new SourceLocation("bench.cfg", 1);
        var servers = new ServerConfig[Servers];
        for (int i = 0; i < Servers; i++)
        {
            servers[i] = new ServerConfig($"s{i}", new IPEndPoint(IPAddress.Loopback, 10000 + i), location, Check: true);
        }
        var config = new BackendConfig("bench", ProxyMode.Http, Algorithm, new ValueList<ServerConfig>(servers),
            BackendConfig.DefaultRetries, Redispatch: false, Timeouts.None, location);
        var state = new BackendState(config, Shards);
        for (int i = 0; i < Servers; i++)
        {
            for (int c = 0; c < (i * 7) % 5; c++) state.Servers[i].ConnectionOpened((i + c) % Shards);
        }
        _balancer = Balancer.Create(state, Shards - 1);
        if (Pick() < 0) throw new InvalidOperationException("no server picked");
    }

    [Benchmark(Description = "Pick")]
    public int Pick() => _balancer.Pick(0, null)?.Index ?? -1;
}
