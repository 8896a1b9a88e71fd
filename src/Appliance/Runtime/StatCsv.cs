using System.Globalization;
using System.Text;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Forwarding;

namespace Appliance.Runtime;

/// <summary>
/// <c>show stat</c>: HAProxy's CSV (management.txt section 9.1), with its field names and order for the
/// first 80 fields. One FRONTEND row per frontend, then for each backend one row per server and a
/// BACKEND row. Fields this engine does not measure (rates, average timings) are left empty, as HAProxy
/// leaves fields that do not apply. Backend response errors are the sum of its servers'.
/// </summary>
internal static class StatCsv
{
    public static readonly string[] FieldNames =
    [
        "pxname", "svname", "qcur", "qmax", "scur", "smax", "slim", "stot", "bin", "bout",
        "dreq", "dresp", "ereq", "econ", "eresp", "wretr", "wredis", "status", "weight", "act",
        "bck", "chkfail", "chkdown", "lastchg", "downtime", "qlimit", "pid", "iid", "sid", "throttle",
        "lbtot", "tracked", "type", "rate", "rate_lim", "rate_max", "check_status", "check_code", "check_duration", "hrsp_1xx",
        "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other", "hanafail", "req_rate", "req_rate_max", "req_tot", "cli_abrt",
        "srv_abrt", "comp_in", "comp_out", "comp_byp", "comp_rsp", "lastsess", "last_chk", "last_agt", "qtime", "ctime",
        "rtime", "ttime", "agent_status", "agent_code", "agent_duration", "check_desc", "agent_desc", "check_rise", "check_fall", "check_health",
        "agent_rise", "agent_fall", "agent_health", "addr", "cookie", "mode", "algo", "conn_rate", "conn_rate_max", "conn_tot",
    ];

    /// <summary>The <c>hrsp_*</c> fields by <see cref="ProxyCounters.ResponseClass"/>.</summary>
    private static readonly string[] ResponseFields = ["hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx", "hrsp_5xx", "hrsp_other"];

    private static readonly Dictionary<string, int> Index = FieldNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i);

    /// <summary>HAProxy's <c>type</c> field values.</summary>
    private const int TypeFrontend = 0, TypeBackend = 1, TypeServer = 2;

    public static string Render(Worker worker, CounterSnapshot baseline, string? proxyFilter)
    {
        var text = new StringBuilder("# ").AppendJoin(',', FieldNames).Append(",\n");
        int pid = Environment.ProcessId;
        int proxyId = 0;
        foreach (Frontend frontend in worker.Frontends)
        {
            proxyId++;
            if (proxyFilter is not null && proxyFilter != frontend.Name) continue;
            var row = new Row();
            long accepted = worker.FrontendAccepted(frontend.Index) + baseline.Frontend(frontend.Name);
            row["pxname"] = frontend.Name;
            row["svname"] = "FRONTEND";
            row["scur"] = Number(worker.FrontendCurrent(frontend.Index));
            row["slim"] = Number(frontend.Config.MaxConn > 0 ? frontend.Config.MaxConn : worker.Budget.MaxConn);
            row["stot"] = Number(accepted);
            row["status"] = worker.Draining ? "STOP" : "OPEN";
            row["pid"] = Number(pid);
            row["iid"] = Number(proxyId);
            row["sid"] = "0";
            row["type"] = Number(TypeFrontend);
            row["mode"] = Mode(frontend.Config.Mode);
            row["conn_tot"] = Number(accepted);
            int fe = frontend.Index;
            string name = frontend.Name;
            row["bin"] = Number(worker.FrontendStat(fe, ProxyCounters.FrontendBytesIn) + baseline.FrontendStat(name, ProxyCounters.FrontendBytesIn));
            row["bout"] = Number(worker.FrontendStat(fe, ProxyCounters.FrontendBytesOut) + baseline.FrontendStat(name, ProxyCounters.FrontendBytesOut));
            row["dreq"] = Number(worker.FrontendStat(fe, ProxyCounters.FrontendDenied) + baseline.FrontendStat(name, ProxyCounters.FrontendDenied));
            row["ereq"] = Number(worker.FrontendStat(fe, ProxyCounters.FrontendRequestErrors) + baseline.FrontendStat(name, ProxyCounters.FrontendRequestErrors));
            if (frontend.Config.Mode == ProxyMode.Http)
            {
                row["req_tot"] = Number(worker.FrontendHttp(fe, 0) + baseline.FrontendHttpCount(name, 0));
                for (int kind = 0; kind < ProxyCounters.ResponseClasses; kind++)
                {
                    row[ResponseFields[kind]] = Number(worker.FrontendHttp(fe, kind + 1) + baseline.FrontendHttpCount(name, kind + 1));
                }
            }
            row.AppendTo(text);
        }
        foreach (Backend backend in worker.Backends)
        {
            proxyId++;
            if (proxyFilter is not null && proxyFilter != backend.Name) continue;
            BackendState state = backend.State;
            long backendTotal = 0, backendCurrent = 0, downTransitions = 0, responseErrors = 0;
            bool http = state.Config.Mode == ProxyMode.Http;
            int weight = 0, active = 0, backup = 0;
            DateTimeOffset lastChange = DateTimeOffset.MinValue;
            // One version of the server list: deleted servers' counts are in its retired totals.
            ServerSet servers = state.Current;
            backendTotal += servers.RetiredConnections + baseline.RetiredServers(backend.Name);
            responseErrors += servers.RetiredStatistic(ProxyCounters.ServerResponseErrors)
                              + baseline.RetiredServerStat(backend.Name, ProxyCounters.ServerResponseErrors);
            foreach (ServerState server in servers.All)
            {
                long total = server.TotalConnections + baseline.Server(backend.Name, server.Name);
                backendTotal += total;
                backendCurrent += server.ActiveConnections;
                downTransitions += server.DownTransitions;
                if (server.LastStateChange > lastChange) lastChange = server.LastStateChange;
                if (server.IsUsable)
                {
                    weight += server.Weight;
                    if (server.IsBackup) backup++;
                    else active++;
                }
                var row = new Row();
                row["pxname"] = backend.Name;
                row["svname"] = server.Name;
                row["qcur"] = "0";
                row["qmax"] = "0";
                row["scur"] = Number(server.ActiveConnections);
                row["slim"] = server.Config.MaxConn > 0 ? Number(server.Config.MaxConn) : "";
                row["stot"] = Number(total);
                row["status"] = ServerStatus(server);
                row["weight"] = Number(server.Weight);
                row["act"] = server.IsBackup ? "0" : "1";
                row["bck"] = server.IsBackup ? "1" : "0";
                if (server.Config.Check)
                {
                    row["chkfail"] = Number(server.CheckFailures);
                    row["chkdown"] = Number(server.DownTransitions);
                }
                row["lastchg"] = Number(SecondsSince(server.LastStateChange, worker.StartedAt));
                row["pid"] = Number(pid);
                row["iid"] = Number(proxyId);
                row["sid"] = Number(server.Index + 1);
                row["lbtot"] = Number(total);
                row["type"] = Number(TypeServer);
                if (server.Config.Check && server.LastCheck is { } check)
                {
                    row["check_status"] = check.Status;
                    row["check_duration"] = Number((long)check.Duration.TotalMilliseconds);
                    row["check_desc"] = check.Description;
                    row["last_chk"] = check.Info ?? "";
                }
                if (server.Config.Check)
                {
                    row["check_rise"] = Number(server.Config.Rise);
                    row["check_fall"] = Number(server.Config.Fall);
                    row["check_health"] = Number(server.IsUp ? server.Config.Rise + server.Config.Fall - 1 : 0);
                }
                row["addr"] = server.Address.ToString();
                row["mode"] = Mode(state.Config.Mode);
                long ServerStat(int slot) => Worker.ServerStat(server, slot) + baseline.ServerStat(backend.Name, server.Name, slot);
                row["bin"] = Number(ServerStat(ProxyCounters.ServerBytesIn));
                row["bout"] = Number(ServerStat(ProxyCounters.ServerBytesOut));
                row["econ"] = Number(ServerStat(ProxyCounters.ServerConnectErrors));
                long eresp = ServerStat(ProxyCounters.ServerResponseErrors);
                responseErrors += eresp;
                row["eresp"] = Number(eresp);
                if (http)
                {
                    for (int kind = 0; kind < ProxyCounters.ResponseClasses; kind++) row[ResponseFields[kind]] = Number(ServerStat(ProxyCounters.ServerResponses + kind));
                }
                row.AppendTo(text);
            }
            var summary = new Row();
            summary["pxname"] = backend.Name;
            summary["svname"] = "BACKEND";
            long BackendStat(int slot) => worker.BackendStat(backend.Index, slot) + baseline.BackendStat(backend.Name, slot);
            summary["qcur"] = Number(BackendStat(ProxyCounters.BackendQueueCurrent));
            summary["qmax"] = Number(backend.State.QueuePeak);
            summary["bin"] = Number(BackendStat(ProxyCounters.BackendBytesIn));
            summary["bout"] = Number(BackendStat(ProxyCounters.BackendBytesOut));
            summary["econ"] = Number(worker.BackendCount(backend.Index, Shard.BackendConnectErrors) + baseline.BackendCount(backend.Name, Shard.BackendConnectErrors));
            summary["eresp"] = Number(responseErrors);
            summary["wretr"] = Number(worker.BackendCount(backend.Index, Shard.BackendRetries) + baseline.BackendCount(backend.Name, Shard.BackendRetries));
            summary["wredis"] = Number(worker.BackendCount(backend.Index, Shard.BackendRedispatches) + baseline.BackendCount(backend.Name, Shard.BackendRedispatches));
            if (http)
            {
                summary["req_tot"] = Number(BackendStat(ProxyCounters.BackendHttpRequests));
                for (int kind = 0; kind < ProxyCounters.ResponseClasses; kind++) summary[ResponseFields[kind]] = Number(BackendStat(ProxyCounters.BackendResponses + kind));
            }
            summary["scur"] = Number(backendCurrent);
            summary["stot"] = Number(backendTotal);
            summary["status"] = active + backup > 0 ? "UP" : "DOWN";
            summary["weight"] = Number(weight);
            summary["act"] = Number(active);
            summary["bck"] = Number(backup);
            summary["chkdown"] = Number(downTransitions);
            summary["lastchg"] = Number(SecondsSince(lastChange, worker.StartedAt));
            summary["pid"] = Number(pid);
            summary["iid"] = Number(proxyId);
            summary["sid"] = "0";
            summary["lbtot"] = Number(backendTotal);
            summary["type"] = Number(TypeBackend);
            summary["mode"] = Mode(state.Config.Mode);
            summary["algo"] = Algorithm(state.Algorithm);
            summary.AppendTo(text);
        }
        return text.Append('\n').ToString();
    }

    /// <summary>HAProxy's server status words.</summary>
    public static string ServerStatus(ServerState server) => server.AdminState switch
    {
        AdminState.Maint => "MAINT",
        AdminState.Drain when server.IsUp => "DRAIN",
        _ when !server.IsUp => "DOWN",
        _ when !server.Config.Check => "no check",
        _ => "UP",
    };

    public static string Mode(ProxyMode mode) => mode == ProxyMode.Http ? "http" : "tcp";

    public static string Algorithm(BalanceAlgorithm algorithm) => algorithm switch
    {
        BalanceAlgorithm.RoundRobin => "roundrobin",
        BalanceAlgorithm.StaticRoundRobin => "static-rr",
        BalanceAlgorithm.LeastConn => "leastconn",
        BalanceAlgorithm.First => "first",
        BalanceAlgorithm.Source => "source",
        BalanceAlgorithm.Random => "random",
        _ => algorithm.ToString().ToLowerInvariant(),
    };

    private static long SecondsSince(DateTimeOffset change, DateTime startedAt)
    {
        DateTimeOffset since = change == DateTimeOffset.MinValue ? new DateTimeOffset(startedAt, TimeSpan.Zero) : change;
        return Math.Max(0, (long)(DateTimeOffset.UtcNow - since).TotalSeconds);
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private sealed class Row
    {
        private readonly string[] _values = new string[FieldNames.Length];

        public string this[string field]
        {
            set => _values[Index[field]] = Escape(value);
        }

        public void AppendTo(StringBuilder text)
        {
            foreach (string? value in _values) text.Append(value).Append(',');
            text.Append('\n');
        }

        /// <summary>CSV fields carry no comma or line break (HAProxy replaces them the same way).</summary>
        private static string Escape(string value) =>
            value.AsSpan().IndexOfAny(",\n\r") < 0 ? value : value.Replace(',', ' ').Replace('\n', ' ').Replace('\r', ' ');
    }
}
