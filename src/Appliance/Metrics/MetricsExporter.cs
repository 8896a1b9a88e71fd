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
    private readonly Counter _connections, _requests, _splicedBytes, _droppedLogs;
    private readonly Gauge _feCurrent;
    private readonly Counter _feSessions, _feRequests, _feResponses;
    private readonly Gauge _beCurrent, _beActive, _beBackup, _beStatus, _beWeight;
    private readonly Counter _beSessions, _beConnectionErrors, _beRetries, _beRedispatches, _beReuses;
    private readonly Gauge _svStatus, _svCurrent, _svWeight;
    private readonly Counter _svSessions, _svCheckFailures;
    private readonly FrontendSeries[] _frontends;
    private readonly BackendSeries[] _backends;

    /// <param name="generation">The worker generation the master numbered (1 + successful reloads); 0 without a master (nothing emitted).</param>
    public MetricsExporter(Worker worker, Func<CounterSnapshot>? baseline, string? prefix, int generation = 0)
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
        _droppedLogs = Counter(factory, p + "process_dropped_logs_total", "Total number of dropped logs");

        _feCurrent = Gauge(factory, p + "frontend_current_sessions", "Number of current sessions on the frontend", "proxy");
        _feSessions = Counter(factory, p + "frontend_sessions_total", "Total number of sessions since process started", "proxy");
        _feRequests = Counter(factory, p + "frontend_http_requests_total", "Total number of HTTP requests processed by this object", "proxy");
        _feResponses = Counter(factory, p + "frontend_http_responses_total", "Total number of HTTP responses by status class", "proxy", "code");

        _beCurrent = Gauge(factory, p + "backend_current_sessions", "Number of current sessions on the frontend, backend or server", "proxy");
        _beSessions = Counter(factory, p + "backend_sessions_total", "Total number of sessions since process started", "proxy");
        _beActive = Gauge(factory, p + "backend_active_servers", "Total number of active UP servers with a non-zero weight", "proxy");
        _beBackup = Gauge(factory, p + "backend_backup_servers", "Total number of backup UP servers with a non-zero weight", "proxy");
        _beStatus = Gauge(factory, p + "backend_status", "Current status of the service, per state label value", "proxy", "state");
        _beConnectionErrors = Counter(factory, p + "backend_connection_errors_total", "Total number of failed connections to server since the worker process started", "proxy");
        _beRetries = Counter(factory, p + "backend_retry_warnings_total", "Total number of server connection retries since the worker process started", "proxy");
        _beRedispatches = Counter(factory, p + "backend_redispatch_warnings_total", "Total number of server redispatches due to connection failures since the worker process started", "proxy");
        _beReuses = Counter(factory, p + "backend_connection_reuses_total", "Total number of reused connection on this backend since the worker process started", "proxy");
        _beWeight = Gauge(factory, p + "backend_weight", "Server's effective weight, or sum of active servers' effective weights for a backend", "proxy");

        _svStatus = Gauge(factory, p + "server_status", "Current status of the service, per state label value", "proxy", "server", "state");
        _svCurrent = Gauge(factory, p + "server_current_sessions", "Number of current sessions on the frontend, backend or server", "proxy", "server");
        _svSessions = Counter(factory, p + "server_sessions_total", "Total number of sessions since process started", "proxy", "server");
        _svWeight = Gauge(factory, p + "server_weight", "Server's effective weight, or sum of active servers' effective weights for a backend", "proxy", "server");
        _svCheckFailures = Counter(factory, p + "server_check_failures_total", "Total number of failed individual health checks", "proxy", "server");

        if (generation > 0)
        {
            Gauge(factory, p + "process_worker_generation", "Configuration generation of the serving worker (1 + successful reloads)").Set(generation);
            Counter(factory, p + "process_reloads_total", "Successful reloads since the master started").IncTo(generation - 1);
        }

        _frontends = [.. worker.Frontends.Select(f => new FrontendSeries(this, f))];
        _backends = [.. worker.Backends.Select(b => new BackendSeries(this, b))];

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
        _droppedLogs.IncTo(Total("dropped_logs"));

        foreach (FrontendSeries frontend in _frontends) frontend.Fill(_worker, baseline);
        foreach (BackendSeries backend in _backends) backend.Fill(_worker, baseline);
    }

    /// <summary>HAProxy's server state words (<c>NOLB</c> needs <c>http-check disable-on-404</c>, which does not exist here).</summary>
    internal static string ServerState(ServerState server) => server.AdminState switch
    {
        AdminState.Maint => "MAINT",
        AdminState.Drain => "DRAIN",
        _ => server.IsUp ? "UP" : "DOWN",
    };

    /// <summary>A frontend's series, looked up once: a scrape only sets values.</summary>
    private sealed class FrontendSeries
    {
        private readonly Frontend _frontend;
        private readonly Gauge.Child _current;
        private readonly Counter.Child _sessions;
        private readonly Counter.Child? _requests;
        private readonly Counter.Child[] _responses = [];

        public FrontendSeries(MetricsExporter metrics, Frontend frontend)
        {
            _frontend = frontend;
            string name = frontend.Name;
            _current = metrics._feCurrent.WithLabels(name);
            _sessions = metrics._feSessions.WithLabels(name);
            if (frontend.Config.Mode != Config.Model.ProxyMode.Http) return;
            _requests = metrics._feRequests.WithLabels(name);
            _responses = [.. CodeClasses.Select(code => metrics._feResponses.WithLabels(name, code))];
        }

        public void Fill(Worker worker, CounterSnapshot baseline)
        {
            int index = _frontend.Index;
            _current.Set(worker.FrontendCurrent(index));
            _sessions.IncTo(worker.FrontendAccepted(index) + baseline.Frontend(_frontend.Name));
            _requests?.IncTo(worker.FrontendHttp(index, 0) + baseline.FrontendHttpCount(_frontend.Name, 0));
            for (int i = 0; i < _responses.Length; i++)
            {
                _responses[i].IncTo(worker.FrontendHttp(index, i + 1) + baseline.FrontendHttpCount(_frontend.Name, i + 1));
            }
        }
    }

    /// <summary>A backend's series and its servers', looked up once.</summary>
    private sealed class BackendSeries
    {
        private readonly Backend _backend;
        private readonly Gauge.Child _current, _active, _backup, _weight;
        private readonly Counter.Child _sessions;
        private readonly Counter.Child[] _counts;
        private readonly Gauge.Child[] _status;
        private readonly ServerSeries[] _servers;

        public BackendSeries(MetricsExporter metrics, Backend backend)
        {
            _backend = backend;
            string proxy = backend.Name;
            _current = metrics._beCurrent.WithLabels(proxy);
            _sessions = metrics._beSessions.WithLabels(proxy);
            _active = metrics._beActive.WithLabels(proxy);
            _backup = metrics._beBackup.WithLabels(proxy);
            _weight = metrics._beWeight.WithLabels(proxy);
            _status = [.. BackendStates.Select(state => metrics._beStatus.WithLabels(proxy, state))];
            // Slots as Shard.BackendSlots; connections are only reused in HTTP mode.
            _counts = backend.State.Config.Mode == Config.Model.ProxyMode.Http
                ? [metrics._beConnectionErrors.WithLabels(proxy), metrics._beRetries.WithLabels(proxy), metrics._beRedispatches.WithLabels(proxy), metrics._beReuses.WithLabels(proxy)]
                : [metrics._beConnectionErrors.WithLabels(proxy), metrics._beRetries.WithLabels(proxy), metrics._beRedispatches.WithLabels(proxy)];
            _servers = [.. backend.State.Servers.Select(server => new ServerSeries(metrics, proxy, server))];
        }

        public void Fill(Worker worker, CounterSnapshot baseline)
        {
            for (int slot = 0; slot < _counts.Length; slot++)
            {
                _counts[slot].IncTo(worker.BackendCount(_backend.Index, slot) + baseline.BackendCount(_backend.Name, slot));
            }
            long current = 0, total = 0;
            int active = 0, backup = 0, weight = 0;
            foreach (ServerSeries series in _servers)
            {
                ServerState server = series.Server;
                long sessions = server.TotalConnections + baseline.Server(_backend.Name, server.Name);
                long connections = server.ActiveConnections;
                current += connections;
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
                series.Fill(sessions, connections);
            }
            _current.Set(current);
            _sessions.IncTo(total);
            _active.Set(active);
            _backup.Set(backup);
            _weight.Set(weight);
            bool up = active + backup > 0;
            _status[0].Set(up ? 1 : 0);
            _status[1].Set(up ? 0 : 1);
        }
    }

    private sealed class ServerSeries
    {
        private readonly Gauge.Child[] _status;
        private readonly Gauge.Child _current, _weight;
        private readonly Counter.Child _sessions;
        private readonly Counter.Child? _checkFailures;

        public ServerSeries(MetricsExporter metrics, string proxy, ServerState server)
        {
            Server = server;
            _status = [.. ServerStates.Select(state => metrics._svStatus.WithLabels(proxy, server.Name, state))];
            _current = metrics._svCurrent.WithLabels(proxy, server.Name);
            _sessions = metrics._svSessions.WithLabels(proxy, server.Name);
            _weight = metrics._svWeight.WithLabels(proxy, server.Name);
            if (server.Config.Check) _checkFailures = metrics._svCheckFailures.WithLabels(proxy, server.Name);
        }

        public ServerState Server { get; }

        public void Fill(long sessions, long connections)
        {
            string state = ServerState(Server);
            for (int i = 0; i < _status.Length; i++) _status[i].Set(ServerStates[i] == state ? 1 : 0);
            _current.Set(connections);
            _sessions.IncTo(sessions);
            _weight.Set(Server.Weight);
            _checkFailures?.IncTo(Server.CheckFailures);
        }
    }
}
