using System.Text;
using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Forwarding;
using Appliance.Runtime;
using Prometheus;

namespace Appliance.Metrics;

/// <summary>
/// Prometheus exposition of a worker's counters, with the names of HAProxy's built-in exporter
/// (<c>addons/promex</c>) under our prefix. The prometheus-net registry is filled from the shard-local
/// counters and the server states by a before-collect callback, at scrape time only: the data path
/// never calls prometheus-net. Cumulative counters include the master's baseline of earlier
/// generations, as <c>show stat</c> does. Only what is measured is emitted.
/// </summary>
internal sealed class MetricsExporter
{
    private static readonly string[] CodeClasses = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];
    private static readonly string[] ServerStates = ["UP", "DOWN", "MAINT", "DRAIN", "NOLB"];
    private static readonly string[] BackendStates = ["UP", "DOWN"];

    private readonly Worker _worker;
    private readonly Func<CounterSnapshot> _baseline;
    private readonly CollectorRegistry _registry = Prometheus.Metrics.NewCustomRegistry();
    private readonly Lock _gate = new();

    private readonly Gauge _buildInfo, _startTime, _uptime, _currentConnections, _nbThread, _maxConnections;
    private readonly Counter _connections, _requests, _splicedBytes;
    private readonly Gauge _feCurrent;
    private readonly Counter _feSessions, _feRequests, _feResponses;
    private readonly Gauge _beCurrent, _beActive, _beBackup, _beStatus, _beWeight;
    private readonly Counter _beSessions;
    private readonly Gauge _svStatus, _svCurrent, _svWeight;
    private readonly Counter _svSessions, _svCheckFailures;

    public MetricsExporter(Worker worker, Func<CounterSnapshot>? baseline, string? prefix)
    {
        _worker = worker;
        _baseline = baseline ?? (() => CounterSnapshot.Empty);
        string p = (prefix ?? MetricNames.DefaultPrefix) + "_";
        IMetricFactory factory = Prometheus.Metrics.WithCustomRegistry(_registry);

        _buildInfo = Gauge(factory, p + "process_build_info", "Build info", "version");
        _startTime = Gauge(factory, p + "process_start_time_seconds", "Start time in seconds");
        _uptime = Gauge(factory, p + "process_uptime_seconds", "How long ago this worker process has been started (seconds)");
        _nbThread = Gauge(factory, p + "process_nbthread", "Number of started threads (shards)");
        _maxConnections = Gauge(factory, p + "process_max_connections", "Maximum number of concurrent connections");
        _currentConnections = Gauge(factory, p + "process_current_connections", "Number of active sessions");
        _connections = Counter(factory, p + "process_connections_total", "Total number of created sessions");
        _requests = Counter(factory, p + "process_requests_total", "Total number of HTTP requests");
        _splicedBytes = Counter(factory, p + "process_spliced_bytes_out_total", "Total number of bytes emitted through a kernel pipe");

        _feCurrent = Gauge(factory, p + "frontend_current_sessions", "Number of current sessions on the frontend", "proxy");
        _feSessions = Counter(factory, p + "frontend_sessions_total", "Total number of sessions since process started", "proxy");
        _feRequests = Counter(factory, p + "frontend_http_requests_total", "Total number of HTTP requests processed by this object", "proxy");
        _feResponses = Counter(factory, p + "frontend_http_responses_total", "Total number of HTTP responses by status class", "proxy", "code");

        _beCurrent = Gauge(factory, p + "backend_current_sessions", "Number of current sessions on the frontend, backend or server", "proxy");
        _beSessions = Counter(factory, p + "backend_sessions_total", "Total number of sessions since process started", "proxy");
        _beActive = Gauge(factory, p + "backend_active_servers", "Total number of active UP servers with a non-zero weight", "proxy");
        _beBackup = Gauge(factory, p + "backend_backup_servers", "Total number of backup UP servers with a non-zero weight", "proxy");
        _beStatus = Gauge(factory, p + "backend_status", "Current status of the service, per state label value", "proxy", "state");
        _beWeight = Gauge(factory, p + "backend_weight", "Server's effective weight, or sum of active servers' effective weights for a backend", "proxy");

        _svStatus = Gauge(factory, p + "server_status", "Current status of the service, per state label value", "proxy", "server", "state");
        _svCurrent = Gauge(factory, p + "server_current_sessions", "Number of current sessions on the frontend, backend or server", "proxy", "server");
        _svSessions = Counter(factory, p + "server_sessions_total", "Total number of sessions since process started", "proxy", "server");
        _svWeight = Gauge(factory, p + "server_weight", "Server's effective weight, or sum of active servers' effective weights for a backend", "proxy", "server");
        _svCheckFailures = Counter(factory, p + "server_check_failures_total", "Total number of failed individual health checks", "proxy", "server");

        _buildInfo.WithLabels(BuildInfo.Version).Set(1);
        _startTime.Set(new DateTimeOffset(DateTime.SpecifyKind(worker.StartedAt, DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0);
        _registry.AddBeforeCollectCallback(Fill);
    }

    private static Gauge Gauge(IMetricFactory factory, string name, string help, params string[] labels) =>
        factory.CreateGauge(name, help, labels);

    private static Counter Counter(IMetricFactory factory, string name, string help, params string[] labels) =>
        factory.CreateCounter(name, help, labels);

    /// <summary>The exposition text (Prometheus text format 0.0.4). Serialised: one scrape at a time.</summary>
    public byte[] Render()
    {
        lock (_gate)
        {
            using var stream = new MemoryStream(64 * 1024);
            // No synchronisation context on shard threads, and a memory stream completes synchronously.
            _registry.CollectAndExportAsTextAsync(stream, CancellationToken.None).GetAwaiter().GetResult();
            return stream.ToArray();
        }
    }

    /// <summary>A whole HTTP/1.1 200 response carrying <see cref="Render"/>'s text.</summary>
    public byte[] RenderResponse()
    {
        byte[] body = Render();
        byte[] head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        byte[] response = new byte[head.Length + body.Length];
        head.CopyTo(response, 0);
        body.CopyTo(response, head.Length);
        return response;
    }

    private void Fill()
    {
        CounterSnapshot baseline = _baseline();
        long Total(string name) => _worker.Sum(CounterSnapshot.Fields[CounterSnapshot.IndexOf(name)].Read) + baseline[name];

        _uptime.Set(Math.Max(0, (long)(DateTime.UtcNow - _worker.StartedAt).TotalSeconds));
        _nbThread.Set(_worker.ShardCount);
        _maxConnections.Set(_worker.Budget.MaxConn);
        _currentConnections.Set(_worker.CurrentConnections);
        _connections.IncTo(Total("accepted"));
        _requests.IncTo(Total("http_requests"));
        _splicedBytes.IncTo(Total("spliced_bytes"));

        foreach (Frontend frontend in _worker.Frontends)
        {
            string name = frontend.Name;
            _feCurrent.WithLabels(name).Set(_worker.FrontendCurrent(frontend.Index));
            _feSessions.WithLabels(name).IncTo(_worker.FrontendAccepted(frontend.Index) + baseline.Frontend(name));
            if (frontend.Config.Mode != Config.Model.ProxyMode.Http) continue;
            _feRequests.WithLabels(name).IncTo(_worker.FrontendHttp(frontend.Index, 0));
            for (int i = 0; i < CodeClasses.Length; i++)
            {
                _feResponses.WithLabels(name, CodeClasses[i]).IncTo(_worker.FrontendHttp(frontend.Index, i + 1));
            }
        }

        foreach (Backend backend in _worker.Backends)
        {
            string proxy = backend.Name;
            long current = 0, total = 0;
            int active = 0, backup = 0, weight = 0;
            foreach (ServerState server in backend.State.Servers)
            {
                long sessions = server.TotalConnections + baseline.Server(proxy, server.Name);
                current += server.ActiveConnections;
                total += sessions;
                if (server.IsUsable)
                {
                    if (server.IsBackup) backup++;
                    else
                    {
                        active++;
                        weight += server.Weight;
                    }
                }
                string state = ServerState(server);
                foreach (string candidate in ServerStates)
                {
                    _svStatus.WithLabels(proxy, server.Name, candidate).Set(candidate == state ? 1 : 0);
                }
                _svCurrent.WithLabels(proxy, server.Name).Set(server.ActiveConnections);
                _svSessions.WithLabels(proxy, server.Name).IncTo(sessions);
                _svWeight.WithLabels(proxy, server.Name).Set(server.Weight);
                if (server.Config.Check) _svCheckFailures.WithLabels(proxy, server.Name).IncTo(server.CheckFailures);
            }
            _beCurrent.WithLabels(proxy).Set(current);
            _beSessions.WithLabels(proxy).IncTo(total);
            _beActive.WithLabels(proxy).Set(active);
            _beBackup.WithLabels(proxy).Set(backup);
            _beWeight.WithLabels(proxy).Set(weight);
            string backendState = active + backup > 0 ? "UP" : "DOWN";
            foreach (string candidate in BackendStates) _beStatus.WithLabels(proxy, candidate).Set(candidate == backendState ? 1 : 0);
        }
    }

    /// <summary>HAProxy's server state words (<c>NOLB</c> needs <c>http-check disable-on-404</c>, which does not exist here).</summary>
    internal static string ServerState(ServerState server) => server.AdminState switch
    {
        AdminState.Maint => "MAINT",
        AdminState.Drain => "DRAIN",
        _ => server.IsUp ? "UP" : "DOWN",
    };
}
