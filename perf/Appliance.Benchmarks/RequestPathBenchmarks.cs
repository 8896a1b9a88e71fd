using Appliance.Balancing;
using Appliance.Benchmarks.Fixtures;
using Appliance.Config.Model;
using Appliance.Http;
using Appliance.Routing;
using BenchmarkDotNet.Attributes;

namespace Appliance.Benchmarks;

/// <summary>
/// What a shard does between "request head received" and "request head ready to send", minus the
/// syscalls: parse the head into the connection's reused <see cref="RequestHead"/>, route it over 1,000
/// <c>path_beg</c> rules, pick a server (roundrobin, 2 servers, 2 shards), count the connection open and
/// closed, add <c>X-Forwarded-For</c> and write the head out. Mirrors <c>HttpSession.OnRequestHead</c>.
/// <para>The design requires 0 B allocated per request: <see cref="Setup"/> measures 10,000 requests
/// and throws if one byte was allocated, and <c>Program</c> fails the run if the memory diagnoser
/// reports any allocation for this benchmark.</para>
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private const int Batch = 64;
    private const int Shard = 0;

    private readonly HeadEdits _edits = new();
    private readonly byte[] _output = new byte[16384];
    private ParsedRequest[] _requests = [];
    private RouteTable _routes = null!;
    private Balancer[] _balancers = [];

    [GlobalSetup]
    public void Setup()
    {
        string text = GeneratedConfig.PathBeg(1000);
        _routes = RouteLookupBenchmarks.Compile(text);
        ApplianceConfig config = GeneratedConfig.Load(text);
        _balancers = new Balancer[config.Backends.Count];
        for (int i = 0; i < _balancers.Length; i++) _balancers[i] = Balancer.Create(new BackendState(config.Backends[i], 2), Shard);
        _requests = SampleRequests.ForServices(1000, Batch);

        for (int i = 0; i < 1_000; i++) ParseRoutePickRewrite(); // JIT tiers, thread-static scratch
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000 / Batch; i++) ParseRoutePickRewrite();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated != 0) throw new InvalidOperationException($"request path allocated {allocated} B over 10,000 requests; it must allocate 0 B");
    }

    [Benchmark(OperationsPerInvoke = Batch, Description = "parse → route → pick → rewrite")]
    public int ParseRoutePickRewrite()
    {
        int bytes = 0;
        foreach (ParsedRequest request in _requests)
        {
            request.Parse();
            RouteDecision decision = _routes.Route(request);
            ServerState server = _balancers[decision.Backend].Pick(0, null) ?? throw new InvalidOperationException("no server");
            server.ConnectionOpened(Shard);
            _edits.Clear();
            _edits.TryAdd("X-Forwarded-For"u8, "192.0.2.10"u8);
            HeadWriter.TryWriteRequest(request.Buffer, request.Head, HopByHopFields.Forwarding, _edits, _output, out int written);
            server.ConnectionClosed(Shard);
            bytes += written;
        }
        return bytes;
    }
}
