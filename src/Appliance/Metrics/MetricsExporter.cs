using System.Text;
using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Runtime;
using Prometheus;

namespace Appliance.Metrics;

/// <summary>
/// Prometheus exposition of a worker's counters, with the names of HAProxy's built-in exporter
/// (<c>addons/promex</c>) under our prefix. One prometheus-net registry per scope (global, frontend,
/// backend, server) is filled from the shard-local counters and the server states by before-collect
/// callbacks, at scrape time only: the data path never calls prometheus-net. The latency histograms
/// are written beside them (<see cref="LatencyHistograms"/>). Cumulative counters include the
/// master's baseline of earlier generations, as <c>show stat</c> does. Only what is measured is
/// emitted. Any thread; one scrape renders at a time.
/// </summary>
internal sealed class MetricsExporter
{
    private readonly Worker _worker;
    private readonly Func<CounterSnapshot> _baseline;
    private readonly Lock _gate = new();
    private readonly CollectorRegistry _global = Prometheus.Metrics.NewCustomRegistry();
    private readonly CollectorRegistry _frontend = Prometheus.Metrics.NewCustomRegistry();
    private readonly CollectorRegistry _backend = Prometheus.Metrics.NewCustomRegistry();
    private readonly CollectorRegistry _server = Prometheus.Metrics.NewCustomRegistry();
    private readonly MetricFamilies _families;
    private readonly FrontendSeries[] _frontends;
    private readonly BackendSeries[] _backends;
    private readonly ServerSeries[] _servers;
    private readonly LatencyHistograms _histograms;
    /// <summary>The baseline read once per scrape (it may come from the master over a socket).</summary>
    private CounterSnapshot _scrapeBaseline = CounterSnapshot.Empty;

    /// <param name="generation">The worker generation the master numbered (1 + successful reloads); 0 without a master (nothing emitted).</param>
    public MetricsExporter(Worker worker, Func<CounterSnapshot>? baseline, string? prefix, int generation = 0)
    {
        _worker = worker;
        _baseline = baseline ?? (() => CounterSnapshot.Empty);
        _families = new MetricFamilies(prefix ?? MetricNames.DefaultPrefix, generation > 0,
            Prometheus.Metrics.WithCustomRegistry(_global), Prometheus.Metrics.WithCustomRegistry(_frontend),
            Prometheus.Metrics.WithCustomRegistry(_backend), Prometheus.Metrics.WithCustomRegistry(_server));
        _histograms = new LatencyHistograms(_families.Prefix);

        _families.WorkerGeneration?.Set(generation);
        _families.Reloads?.IncTo(generation - 1);

        _frontends = [.. worker.Frontends.Select(f => new FrontendSeries(_families, f))];
        _backends = [.. worker.Backends.Select(b => new BackendSeries(_families, b))];
        _servers =
        [
            .. worker.Backends.SelectMany(b => b.State.Servers.Select(s =>
                new ServerSeries(_families, b.Index, b.Name, b.State.Config.Mode == Config.Model.ProxyMode.Http, s))),
        ];

        _families.BuildInfo.WithLabels(BuildInfo.Version).Set(1);
        _families.StartTime.Set(new DateTimeOffset(DateTime.SpecifyKind(worker.StartedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0);
        _global.AddBeforeCollectCallback(FillGlobal);
        _frontend.AddBeforeCollectCallback(() => { foreach (FrontendSeries series in _frontends) series.Fill(_worker, _scrapeBaseline); });
        _backend.AddBeforeCollectCallback(() => { foreach (BackendSeries series in _backends) series.Fill(_worker, _scrapeBaseline); });
        _server.AddBeforeCollectCallback(() => { foreach (ServerSeries series in _servers) series.Fill(_worker, _scrapeBaseline); });
    }

    /// <summary>The exposition text (Prometheus text format 0.0.4) of the scopes asked for.</summary>
    public byte[] Render(MetricsScope scope = MetricsScope.All)
    {
        lock (_gate)
        {
            _scrapeBaseline = _baseline();
            using var stream = new MemoryStream(64 * 1024);
            var text = new StringBuilder();
            if ((scope & MetricsScope.Global) != 0) Export(_global, stream);
            if ((scope & MetricsScope.Frontend) != 0) Export(_frontend, stream);
            if ((scope & MetricsScope.Backend) != 0)
            {
                Export(_backend, stream);
                _histograms.WriteBackends(text, _worker, _scrapeBaseline);
                WriteText(text, stream);
            }
            if ((scope & MetricsScope.Server) != 0)
            {
                Export(_server, stream);
                _histograms.WriteServers(text, _worker, _scrapeBaseline);
                WriteText(text, stream);
            }
            return stream.ToArray();
        }
    }

    /// <summary>A whole HTTP/1.1 200 response carrying <see cref="Render"/>'s text (headers only for HEAD).</summary>
    public byte[] RenderResponse(MetricsScope scope = MetricsScope.All, bool headOnly = false)
    {
        byte[] body = Render(scope);
        byte[] head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        if (headOnly) return head;
        byte[] response = new byte[head.Length + body.Length];
        head.CopyTo(response, 0);
        body.CopyTo(response, head.Length);
        return response;
    }

    // No synchronisation context on any caller's thread, and a memory stream completes synchronously.
    private static void Export(CollectorRegistry registry, MemoryStream stream) =>
        registry.CollectAndExportAsTextAsync(stream, CancellationToken.None).GetAwaiter().GetResult();

    private static void WriteText(StringBuilder text, MemoryStream stream)
    {
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks()) writer.Write(chunk.Span);
        writer.Flush();
        text.Clear();
    }

    private void FillGlobal()
    {
        CounterSnapshot baseline = _scrapeBaseline;
        long Total(string name) => _worker.Sum(CounterSnapshot.Fields[CounterSnapshot.IndexOf(name)].Read) + baseline[name];

        _families.Uptime.Set(Math.Max(0, (long)(DateTime.UtcNow - _worker.StartedAt).TotalSeconds));
        _families.NbThread.Set(_worker.ShardCount);
        _families.MaxConnections.Set(_worker.Budget.MaxConn);
        _families.CurrentConnections.Set(_worker.CurrentConnections);
        _families.Connections.IncTo(Total("accepted"));
        _families.Requests.IncTo(Total("http_requests"));
        _families.SplicedBytes.IncTo(Total("spliced_bytes"));
    }

    /// <summary>HAProxy's server state words (<c>NOLB</c> needs <c>http-check disable-on-404</c>, which does not exist here).</summary>
    internal static string ServerState(ServerState server) => server.AdminState switch
    {
        AdminState.Maint => "MAINT",
        AdminState.Drain => "DRAIN",
        _ => server.IsUp ? "UP" : "DOWN",
    };
}
