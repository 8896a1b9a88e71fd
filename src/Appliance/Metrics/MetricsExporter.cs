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
    private readonly BackendServerSeries[] _servers;
    private readonly LatencyHistograms _histograms;
    /// <summary>The rendered text, kept between scrapes (it only grows to the largest exposition).</summary>
    private readonly MemoryStream _stream = new(64 * 1024);
    /// <summary>The histograms' text before it joins <see cref="_stream"/>, kept between scrapes.</summary>
    private readonly System.Buffers.ArrayBufferWriter<byte> _text = new(64 * 1024);
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
        _histograms = new LatencyHistograms(_families.Prefix, worker);

        _families.WorkerGeneration?.Set(generation);
        _families.Reloads?.IncTo(generation - 1);

        _frontends = [.. worker.Frontends.Select(f => new FrontendSeries(_families, f))];
        _backends = [.. worker.Backends.Select(b => new BackendSeries(_families, b))];
        _servers = [.. worker.Backends.Select(b => new BackendServerSeries(_families, b))];

        _families.BuildInfo.WithLabels(BuildInfo.Version).Set(1);
        _families.StartTime.Set(new DateTimeOffset(DateTime.SpecifyKind(worker.StartedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0);
        _global.AddBeforeCollectCallback(FillGlobal);
        _frontend.AddBeforeCollectCallback(() => { foreach (FrontendSeries series in _frontends) series.Fill(_worker, _scrapeBaseline); });
        _backend.AddBeforeCollectCallback(() => { foreach (BackendSeries series in _backends) series.Fill(_worker, _scrapeBaseline); });
        _server.AddBeforeCollectCallback(() => { foreach (BackendServerSeries series in _servers) series.Fill(_worker, _scrapeBaseline); });
    }

    /// <summary>The exposition text (Prometheus text format 0.0.4) of the scopes asked for.</summary>
    public byte[] Render(MetricsScope scope = MetricsScope.All)
    {
        lock (_gate)
        {
            RenderInto(scope);
            return _stream.GetBuffer().AsSpan(0, (int)_stream.Length).ToArray();
        }
    }

    /// <summary>
    /// A whole HTTP/1.1 200 response carrying <see cref="Render"/>'s text (headers only for HEAD). The
    /// text is rendered into buffers kept from one scrape to the next, so a scrape allocates little
    /// more than the response itself.
    /// </summary>
    public byte[] RenderResponse(MetricsScope scope = MetricsScope.All, bool headOnly = false)
    {
        lock (_gate)
        {
            RenderInto(scope);
            int length = (int)_stream.Length;
            byte[] head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
            if (headOnly) return head;
            byte[] response = GC.AllocateUninitializedArray<byte>(head.Length + length);
            head.CopyTo(response, 0);
            _stream.GetBuffer().AsSpan(0, length).CopyTo(response.AsSpan(head.Length));
            return response;
        }
    }

    /// <summary>Renders into <see cref="_stream"/>. Under <see cref="_gate"/>.</summary>
    private void RenderInto(MetricsScope scope)
    {
        _scrapeBaseline = _baseline();
        _stream.SetLength(0);
        if ((scope & MetricsScope.Global) != 0) Export(_global, _stream);
        if ((scope & MetricsScope.Frontend) != 0) Export(_frontend, _stream);
        if ((scope & MetricsScope.Backend) != 0)
        {
            Export(_backend, _stream);
            _histograms.WriteBackends(_text, _scrapeBaseline);
            CopyText();
        }
        if ((scope & MetricsScope.Server) != 0)
        {
            Export(_server, _stream);
            _histograms.WriteServers(_text, _scrapeBaseline);
            CopyText();
        }
    }

    private void CopyText()
    {
        _stream.Write(_text.WrittenSpan);
        _text.ResetWrittenCount();
    }

    // No synchronisation context on any caller's thread, and a memory stream completes synchronously.
    private static void Export(CollectorRegistry registry, MemoryStream stream) =>
        registry.CollectAndExportAsTextAsync(stream, CancellationToken.None).GetAwaiter().GetResult();

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
        _families.DroppedLogs.IncTo(Total("dropped_logs"));
    }

    /// <summary>HAProxy's server state words (<c>NOLB</c> needs <c>http-check disable-on-404</c>, which does not exist here).</summary>
    internal static string ServerState(ServerState server) => server.AdminState switch
    {
        AdminState.Maint => "MAINT",
        AdminState.Drain => "DRAIN",
        _ => server.IsUp ? "UP" : "DOWN",
    };
}
