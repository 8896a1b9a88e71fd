using Prometheus;

namespace Appliance.Metrics;

/// <summary>
/// Every metric family of the exposition, named as HAProxy's built-in exporter (<c>addons/promex</c>)
/// names them, under our prefix, each in the registry of its scope (global, frontend, backend, server)
/// so that <c>?scope=</c> exports only the registries asked for.
/// </summary>
internal sealed class MetricFamilies
{
    public static readonly string[] CodeClasses = ["1xx", "2xx", "3xx", "4xx", "5xx", "other"];

    public MetricFamilies(string prefix, bool withGeneration, IMetricFactory global, IMetricFactory frontend, IMetricFactory backend, IMetricFactory server)
    {
        string p = prefix + "_";
        Prefix = p;

        BuildInfo = NewGauge(global, p + "process_build_info", "Build info", "version");
        StartTime = NewGauge(global, p + "process_start_time_seconds", "Start time in seconds");
        Uptime = NewGauge(global, p + "process_uptime_seconds", "How long ago this worker process has been started (seconds)");
        NbThread = NewGauge(global, p + "process_nbthread", "Number of started threads (shards)");
        MaxConnections = NewGauge(global, p + "process_max_connections", "Maximum number of concurrent connections");
        CurrentConnections = NewGauge(global, p + "process_current_connections", "Number of active sessions");
        Connections = NewCounter(global, p + "process_connections_total", "Total number of created sessions");
        Requests = NewCounter(global, p + "process_requests_total", "Total number of HTTP requests");
        SplicedBytes = NewCounter(global, p + "process_spliced_bytes_out_total", "Total number of bytes emitted through a kernel pipe");
        DroppedLogs = NewCounter(global, p + "process_dropped_logs_total", "Total number of dropped logs");
        if (withGeneration)
        {
            WorkerGeneration = NewGauge(global, p + "process_worker_generation", "Configuration generation of the serving worker (1 + successful reloads)");
            Reloads = NewCounter(global, p + "process_reloads_total", "Successful reloads since the master started");
        }

        FeCurrent = NewGauge(frontend, p + "frontend_current_sessions", "Number of current sessions on the frontend", "proxy");
        FeSessions = NewCounter(frontend, p + "frontend_sessions_total", "Total number of sessions since process started", "proxy");
        FeBytesIn = NewCounter(frontend, p + "frontend_bytes_in_total", "Bytes received from clients", "proxy");
        FeBytesOut = NewCounter(frontend, p + "frontend_bytes_out_total", "Bytes sent to clients", "proxy");
        FeRequestErrors = NewCounter(frontend, p + "frontend_request_errors_total", "Requests that could not be parsed or relayed", "proxy");
        FeDenied = NewCounter(frontend, p + "frontend_requests_denied_total", "Requests denied by http-request rules", "proxy");
        FeRequests = NewCounter(frontend, p + "frontend_http_requests_total", "Total number of HTTP requests processed by this object", "proxy");
        FeResponses = NewCounter(frontend, p + "frontend_http_responses_total", "Total number of HTTP responses by status class", "proxy", "code");

        BeCurrent = NewGauge(backend, p + "backend_current_sessions", "Number of current sessions on the frontend, backend or server", "proxy");
        BeSessions = NewCounter(backend, p + "backend_sessions_total", "Total number of sessions since process started", "proxy");
        BeBytesIn = NewCounter(backend, p + "backend_bytes_in_total", "Bytes received from clients for this backend", "proxy");
        BeBytesOut = NewCounter(backend, p + "backend_bytes_out_total", "Bytes sent to clients for this backend", "proxy");
        BeCurrentQueue = NewGauge(backend, p + "backend_current_queue", "Requests waiting for a server slot", "proxy");
        BeMaxQueue = NewGauge(backend, p + "backend_max_queue", "Most requests that waited for a server slot (sum of the shards' peaks)", "proxy");
        BeActive = NewGauge(backend, p + "backend_active_servers", "Total number of active UP servers with a non-zero weight", "proxy");
        BeBackup = NewGauge(backend, p + "backend_backup_servers", "Total number of backup UP servers with a non-zero weight", "proxy");
        BeStatus = NewGauge(backend, p + "backend_status", "Current status of the service, per state label value", "proxy", "state");
        BeConnectionErrors = NewCounter(backend, p + "backend_connection_errors_total", "Total number of failed connections to server since the worker process started", "proxy");
        BeResponseErrors = NewCounter(backend, p + "backend_response_errors_total", "Invalid or truncated server responses", "proxy");
        BeRetries = NewCounter(backend, p + "backend_retry_warnings_total", "Total number of server connection retries since the worker process started", "proxy");
        BeRedispatches = NewCounter(backend, p + "backend_redispatch_warnings_total", "Total number of server redispatches due to connection failures since the worker process started", "proxy");
        BeReuses = NewCounter(backend, p + "backend_connection_reuses_total", "Total number of reused connection on this backend since the worker process started", "proxy");
        BeWeight = NewGauge(backend, p + "backend_weight", "Server's effective weight, or sum of active servers' effective weights for a backend", "proxy");
        BeRequests = NewCounter(backend, p + "backend_http_requests_total", "HTTP requests routed to this backend", "proxy");
        BeResponses = NewCounter(backend, p + "backend_http_responses_total", "HTTP responses for this backend by status class", "proxy", "code");

        SvStatus = NewGauge(server, p + "server_status", "Current status of the service, per state label value", "proxy", "server", "state");
        SvCurrent = NewGauge(server, p + "server_current_sessions", "Number of current sessions on the frontend, backend or server", "proxy", "server");
        SvSessions = NewCounter(server, p + "server_sessions_total", "Total number of sessions since process started", "proxy", "server");
        SvBytesIn = NewCounter(server, p + "server_bytes_in_total", "Bytes received from clients for this server", "proxy", "server");
        SvBytesOut = NewCounter(server, p + "server_bytes_out_total", "Bytes sent to clients from this server", "proxy", "server");
        SvCurrentQueue = NewGauge(server, p + "server_current_queue", "Requests waiting for this server (queues are per backend here: always 0)", "proxy", "server");
        SvMaxQueue = NewGauge(server, p + "server_max_queue", "Most requests that waited for this server (queues are per backend here: always 0)", "proxy", "server");
        SvWeight = NewGauge(server, p + "server_weight", "Server's effective weight, or sum of active servers' effective weights for a backend", "proxy", "server");
        SvConnectionErrors = NewCounter(server, p + "server_connection_errors_total", "Failed connections to this server", "proxy", "server");
        SvResponseErrors = NewCounter(server, p + "server_response_errors_total", "Invalid or truncated responses from this server", "proxy", "server");
        SvResponses = NewCounter(server, p + "server_http_responses_total", "HTTP responses from this server by status class", "proxy", "server", "code");
        SvCheckFailures = NewCounter(server, p + "server_check_failures_total", "Total number of failed individual health checks", "proxy", "server");
        SvCheckUpDown = NewCounter(server, p + "server_check_up_down_total", "Transitions from UP to DOWN", "proxy", "server");
        SvCheckStatus = NewGauge(server, p + "server_check_status", "Status of the last health check, one series per check status (1 for the current one)", "proxy", "server", "state");
        SvCheckCode = NewGauge(server, p + "server_check_code", "HTTP status of the last layer-7 health check (0 otherwise)", "proxy", "server");
        SvCheckDuration = NewGauge(server, p + "server_check_duration_seconds", "Duration of the last health check", "proxy", "server");
    }

    private static Gauge NewGauge(IMetricFactory factory, string name, string help, params string[] labels) =>
        factory.CreateGauge(name, help, labels);

    private static Counter NewCounter(IMetricFactory factory, string name, string help, params string[] labels) =>
        factory.CreateCounter(name, help, labels);

    /// <summary>The prefix with its trailing underscore.</summary>
    public string Prefix { get; }

    public Gauge BuildInfo { get; }
    public Gauge StartTime { get; }
    public Gauge Uptime { get; }
    public Gauge NbThread { get; }
    public Gauge MaxConnections { get; }
    public Gauge CurrentConnections { get; }
    public Counter Connections { get; }
    public Counter Requests { get; }
    public Counter SplicedBytes { get; }

    public Counter DroppedLogs { get; }
    /// <summary>Only under a master, which numbers generations.</summary>
    public Gauge? WorkerGeneration { get; }
    public Counter? Reloads { get; }

    public Gauge FeCurrent { get; }
    public Counter FeSessions { get; }
    public Counter FeBytesIn { get; }
    public Counter FeBytesOut { get; }
    public Counter FeRequestErrors { get; }
    public Counter FeDenied { get; }
    public Counter FeRequests { get; }
    public Counter FeResponses { get; }

    public Gauge BeCurrent { get; }
    public Counter BeSessions { get; }
    public Counter BeBytesIn { get; }
    public Counter BeBytesOut { get; }
    public Gauge BeCurrentQueue { get; }
    public Gauge BeMaxQueue { get; }
    public Gauge BeActive { get; }
    public Gauge BeBackup { get; }
    public Gauge BeStatus { get; }
    public Counter BeConnectionErrors { get; }
    public Counter BeResponseErrors { get; }
    public Counter BeRetries { get; }
    public Counter BeRedispatches { get; }
    public Counter BeReuses { get; }
    public Gauge BeWeight { get; }
    public Counter BeRequests { get; }
    public Counter BeResponses { get; }

    public Gauge SvStatus { get; }
    public Gauge SvCurrent { get; }
    public Counter SvSessions { get; }
    public Counter SvBytesIn { get; }
    public Counter SvBytesOut { get; }
    public Gauge SvCurrentQueue { get; }
    public Gauge SvMaxQueue { get; }
    public Gauge SvWeight { get; }
    public Counter SvConnectionErrors { get; }
    public Counter SvResponseErrors { get; }
    public Counter SvResponses { get; }
    public Counter SvCheckFailures { get; }
    public Counter SvCheckUpDown { get; }
    public Gauge SvCheckStatus { get; }
    public Gauge SvCheckCode { get; }
    public Gauge SvCheckDuration { get; }
}
