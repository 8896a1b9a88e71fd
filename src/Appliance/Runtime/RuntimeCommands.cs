using System.Globalization;
using System.Net;
using System.Text;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Forwarding;
using Appliance.Routing.Maps;

namespace Appliance.Runtime;

/// <summary>
/// The runtime API's command table (command words → minimum level → usage → handler → help line),
/// HAProxy semantics (management.txt). Every answer ends with an empty line, as HAProxy's. An unknown
/// command gets one error line and the list of commands; a known one with bad arguments gets one error
/// line and its usage. Called from the runtime API threads, never from a shard.
/// </summary>
internal sealed class RuntimeCommands
{
    private readonly Worker _worker;
    private readonly MapRegistry _maps;
    private readonly Func<CounterSnapshot> _baseline;
    private readonly int _generation;
    private readonly List<Command> _table;
    // Commands come from several threads (one per stats socket, plus the master CLI): server changes
    // (add/del/state/addr) are serialised so that, e.g., del server's checks and removal are one step.
    private readonly Lock _serverChanges = new();

    /// <param name="worker">The data plane the commands read and change.</param>
    /// <param name="baseline">
    /// Counters of other worker generations (ended or draining), added to this one's so totals never go
    /// backwards across reloads; empty when running without a master.
    /// </param>
    /// <param name="generation">This worker's generation number (0 without a master).</param>
    /// <param name="maps">The map files the routes use (<c>show/add/set/del/clear map</c>).</param>
    public RuntimeCommands(Worker worker, Func<CounterSnapshot>? baseline = null, int generation = 0, MapRegistry? maps = null)
    {
        _worker = worker;
        _maps = maps ?? new MapRegistry();
        _baseline = baseline ?? (() => CounterSnapshot.Empty);
        _generation = generation;
        _table =
        [
            new("help", RuntimeApiLevel.User, "help", "this message", _ => Help(RuntimeApiLevel.Admin)),
            new("show info", RuntimeApiLevel.User, "show info", "report information about the running process", _ => ShowInfo()),
            new("show activity", RuntimeApiLevel.User, "show activity", "show per-shard activity counters (this worker only)", _ => ShowActivity()),
            new("show stat", RuntimeApiLevel.User, "show stat [<proxy>|-1]", "report counters for each proxy and server (CSV)", ShowStat),
            new("show servers state", RuntimeApiLevel.User, "show servers state [<backend>]", "dump volatile server information", ShowServersState),
            new("show servers conn", RuntimeApiLevel.User, "show servers conn [<backend>]", "dump server connections and idle pools", ShowServersConn),
            new("show backend", RuntimeApiLevel.User, "show backend", "list backends", _ => ShowBackend()),
            new("get weight", RuntimeApiLevel.User, "get weight <backend>/<server>", "report a server's current weight", GetWeight),
            new("disable server", RuntimeApiLevel.Admin, "disable server <backend>/<server>", "put a server in maintenance", a => SetState(a, AdminState.Maint)),
            new("enable server", RuntimeApiLevel.Admin, "enable server <backend>/<server>", "take a server out of maintenance", a => SetState(a, AdminState.Ready)),
            new("disable health", RuntimeApiLevel.Admin, "disable health <backend>/<server>", "stop a server's health checks (it counts as UP)", a => SetHealthChecks(a, false)),
            new("enable health", RuntimeApiLevel.Admin, "enable health <backend>/<server>", "resume a server's health checks (a server added at runtime needs it)", a => SetHealthChecks(a, true)),
            new("set server", RuntimeApiLevel.Admin, "set server <backend>/<server> state ready|drain|maint | weight <n>[%] | addr <ip> [port <port>]",
                "change a server's admin state, weight or address", SetServer),
            new("add server", RuntimeApiLevel.Admin, AddServerRequest.Usage, "add a server at runtime (created in maintenance)", AddServer),
            new("del server", RuntimeApiLevel.Admin, "del server <backend>/<server>", "remove a server in maintenance that has no connection", DelServer),
            new("set weight", RuntimeApiLevel.Admin, "set weight <backend>/<server> <n>[%]", "change a server's weight", SetWeightCommand),
            new("show map", RuntimeApiLevel.User, "show map [<map>]", "list maps, or one map's entries", ShowMap),
            new("add map", RuntimeApiLevel.Operator, "add map <map> <key> <value>", "add an entry to a map", AddMap),
            new("set map", RuntimeApiLevel.Operator, "set map <map> <key> <value>", "change the value of a map's entries with this key", SetMap),
            new("del map", RuntimeApiLevel.Operator, "del map <map> <key>", "remove a map's entries with this key", DelMap),
            new("clear map", RuntimeApiLevel.Operator, "clear map <map>", "remove every entry of a map", ClearMap),
        ];
    }

    public string Execute(string line, RuntimeApiLevel level)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return "\n";
        Command? best = null;
        int bestLength = 0;
        foreach (Command command in _table)
        {
            if (command.Words.Length > bestLength && words.Length >= command.Words.Length
                && command.Words.AsSpan().SequenceEqual(words.AsSpan(0, command.Words.Length)))
            {
                best = command;
                bestLength = command.Words.Length;
            }
        }
        if (best is null) return $"Unknown command: '{line}'\n{Help(level)}";
        if (level < best.Level) return "Permission denied\n\n";
        if (best.Name == "help") return Help(level);
        try
        {
            lock (_serverChanges) return best.Handler(words[bestLength..]);
        }
        catch (ArgumentException e)
        {
            return Error(e.Message, best.Usage);
        }
    }

    private string Help(RuntimeApiLevel level)
    {
        var text = new StringBuilder("The following commands are valid at this level:\n");
        foreach (Command command in _table)
        {
            if (command.Level <= level) text.Append("  ").Append(command.Usage.PadRight(40)).Append(": ").Append(command.Help).Append('\n');
        }
        return text.Append('\n').ToString();
    }

    private static string Error(string message, string usage) => $"{message}\nUsage: {usage}\n\n";

    private string ShowInfo()
    {
        CounterSnapshot baseline = _baseline();
        var text = new StringBuilder();
        void Line(string key, object value) => text.Append(key).Append(": ").Append(value).Append('\n');
        long Total(string name) => _worker.Sum(CounterSnapshot.Fields[CounterSnapshot.IndexOf(name)].Read) + baseline[name];
        Line("Name", "appliance");
        Line("Version", BuildInfo.Version);
        Line("Pid", Environment.ProcessId);
        Line("Generation", _generation);
        Line("Uptime_sec", (long)(DateTime.UtcNow - _worker.StartedAt).TotalSeconds);
        Line("Nbthread", _worker.ShardCount);
        Line("Maxconn", _worker.Budget.MaxConn);
        Line("Maxsock", _worker.Budget.FileLimit);
        Line("CurrConns", _worker.CurrentConnections);
        Line("CumConns", Total("accepted"));
        Line("CumReq", Total("http_requests"));
        Line("SplicedBytes", Total("spliced_bytes"));
        Line("ConnectRetries", Total("connect_retries"));
        Line("Redispatches", Total("redispatches"));
        Line("Stopping", _worker.Draining ? 1 : 0);
        Line("DroppedLogs", Total("dropped_logs"));
        return text.Append('\n').ToString();
    }

    private string ShowActivity()
    {
        var text = new StringBuilder();
        void Line(string key, Func<ShardCounters, long> value)
        {
            text.Append(key).Append(": ").Append(_worker.Sum(value)).Append(" [");
            foreach (ShardCounters shard in _worker.Counters) text.Append(' ').Append(value(shard));
            text.Append(" ]\n");
        }
        Line("accepted", c => c.Accepted);
        Line("curr_conns", c => c.CurrentConnections);
        Line("spliced_bytes", c => c.SplicedBytes);
        Line("connect_failures", c => c.ConnectFailures);
        Line("no_server", c => c.NoServer);
        Line("accept_errors", c => c.AcceptErrors);
        return text.Append('\n').ToString();
    }

    private string ShowStat(string[] arguments)
    {
        string? proxy = arguments.Length > 0 && arguments[0] != "-1" ? arguments[0] : null;
        if (proxy is not null && !_worker.Frontends.Any(f => f.Name == proxy) && !_worker.Backends.Any(b => b.Name == proxy))
        {
            throw new ArgumentException($"No such proxy '{proxy}'.");
        }
        return StatCsv.Render(_worker, _baseline(), proxy);
    }

    /// <summary>HAProxy's <c>show servers state</c> (format version 1), the file <c>server-state-file</c> reads.</summary>
    private string ShowServersState(string[] arguments)
    {
        if (arguments.Length > 1) throw new ArgumentException("Too many arguments.");
        string? only = arguments.Length == 1 ? arguments[0] : null;
        if (only is not null && FindBackend(only) is null) throw new ArgumentException("Can't find backend.");
        var text = new StringBuilder("1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight "
                                     + "srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state "
                                     + "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord\n");
        foreach (Backend backend in _worker.Backends)
        {
            if (only is not null && backend.Name != only) continue;
            int backendId = _worker.Frontends.Count + backend.Index + 1;
            foreach (ServerState server in backend.State.Servers)
            {
                ServerConfig config = server.Config;
                DateTimeOffset changed = server.LastStateChange == DateTimeOffset.MinValue
                    ? new DateTimeOffset(_worker.StartedAt, TimeSpan.Zero) : server.LastStateChange;
                int adminBits = server.AdminState switch
                {
                    AdminState.Maint => config.Disabled && !server.IsDynamic ? 0x04 : 0x01, // SRV_ADMF_CMAINT (config) / SRV_ADMF_FMAINT (forced)
                    AdminState.Drain => 0x08,                           // SRV_ADMF_FDRAIN
                    _ => 0,
                };
                int checkResult = server.LastCheck is null ? 0 : server.LastCheck.Passed ? 3 : 2; // CHK_RES_UNKNOWN/FAILED/PASSED
                int checkHealth = server.IsUp ? config.Rise + config.Fall - 1 : 0;
                int checkState = config.Check ? 0x06 : 0;                                        // CHK_ST_CONFIGURED | CHK_ST_ENABLED
                text.Append(backendId).Append(' ').Append(backend.Name).Append(' ')
                    .Append(server.Index + 1).Append(' ').Append(server.Name).Append(' ')
                    .Append(server.Address.Address).Append(' ')
                    .Append(server.IsUp ? 2 : 0).Append(' ')            // SRV_ST_RUNNING / SRV_ST_STOPPED
                    .Append(adminBits).Append(' ')
                    .Append(server.Weight).Append(' ').Append(config.Weight).Append(' ')
                    .Append(Math.Max(0, (long)(DateTimeOffset.UtcNow - changed).TotalSeconds)).Append(' ')
                    .Append(config.Check ? 6 : 0).Append(' ')          // HCHK_STATUS_L4OK-ish when checked
                    .Append(checkResult).Append(' ').Append(checkHealth).Append(' ').Append(checkState)
                    .Append(" 0 0 0 - ").Append(server.Address.Port).Append(" -\n");
            }
        }
        return text.Append('\n').ToString();
    }

    private string ShowServersConn(string[] arguments)
    {
        if (arguments.Length > 1) throw new ArgumentException("Too many arguments.");
        Backend? only = null;
        if (arguments.Length == 1) only = FindBackend(arguments[0]) ?? throw new ArgumentException("Can't find backend.");
        return ServerConnectionsReport.Render(_worker, only);
    }

    private string ShowBackend()
    {
        var text = new StringBuilder("# name\n");
        foreach (Backend backend in _worker.Backends) text.Append(backend.Name).Append('\n');
        return text.Append('\n').ToString();
    }

    private string GetWeight(string[] arguments)
    {
        if (arguments.Length != 1) throw new ArgumentException("Require 'backend/server'.");
        ServerState server = FindServer(arguments[0]);
        return $"{server.Weight} (initial {server.Config.Weight})\n\n";
    }

    private string SetState(string[] arguments, AdminState state)
    {
        if (arguments.Length != 1) throw new ArgumentException(arguments.Length == 0 ? "Require 'backend/server'." : "Too many arguments.");
        FindServer(arguments[0]).SetAdminState(state);
        return "\n";
    }

    /// <summary>
    /// <c>enable|disable health</c>, as HAProxy: a server with checks disabled is not checked and counts as
    /// UP; one added at runtime with <c>check</c> starts with its checks disabled.
    /// </summary>
    private string SetHealthChecks(string[] arguments, bool enabled)
    {
        if (arguments.Length != 1) throw new ArgumentException(arguments.Length == 0 ? "Require 'backend/server'." : "Too many arguments.");
        ServerState server = FindServer(arguments[0]);
        if (!server.Config.Check)
        {
            throw new ArgumentException($"Health checks are not configured on this server, cannot {(enabled ? "enable" : "disable")}.");
        }
        server.SetHealthChecks(enabled);
        return "\n";
    }

    private string SetServer(string[] arguments)
    {
        if (arguments.Length < 1) throw new ArgumentException("Require 'backend/server'.");
        ServerState server = FindServer(arguments[0]);
        if (arguments.Length < 2) throw new ArgumentException("Require 'state', 'weight' or 'addr'.");
        switch (arguments[1])
        {
            case "state":
                if (arguments.Length != 3) throw new ArgumentException("'set server <srv> state' expects 'ready', 'drain' and 'maint'.");
                AdminState state = arguments[2] switch
                {
                    "ready" => AdminState.Ready,
                    "drain" => AdminState.Drain,
                    "maint" => AdminState.Maint,
                    _ => throw new ArgumentException("'set server <srv> state' expects 'ready', 'drain' and 'maint'."),
                };
                server.SetAdminState(state);
                return "\n";
            case "weight":
                if (arguments.Length != 3) throw new ArgumentException("'set server <srv> weight' expects an integer argument.");
                server.SetWeight(ParseWeight(arguments[2], server));
                return "\n";
            case "addr":
                return SetAddress(server, arguments[2..]);
            case "agent" or "health" or "check-port" or "fqdn" or "ssl":
                throw new ArgumentException($"'set server <srv> {arguments[1]}' is not supported yet.");
            default:
                throw new ArgumentException($"unknown action '{arguments[1]}'.");
        }
    }

    /// <summary>
    /// <c>set server B/S addr IP [port P]</c>: new connections and health checks go to the new address;
    /// open connections finish where they are; kept-alive idle ones to the old address are not reused.
    /// Answers as HAProxy: what changed, or that nothing did.
    /// </summary>
    private static string SetAddress(ServerState server, string[] arguments)
    {
        const string expects = "'set server <srv> addr' requires an address and optionally a port.";
        if (arguments.Length is not (1 or 3)) throw new ArgumentException(expects);
        if (!TryParseIp(arguments[0], out IPAddress? ip)) throw new ArgumentException($"Invalid IP address '{arguments[0]}'.");
        IPEndPoint old = server.Address;
        int port = old.Port;
        if (arguments.Length == 3)
        {
            if (arguments[1] != "port") throw new ArgumentException(expects);
            if (!int.TryParse(arguments[2], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"Invalid port '{arguments[2]}' (1-65535).");
            }
        }
        var changes = new List<string>();
        if (!old.Address.Equals(ip)) changes.Add($"IP changed from '{old.Address}' to '{ip}'");
        if (old.Port != port) changes.Add($"port changed from '{old.Port}' to '{port}'");
        if (changes.Count == 0) return "no need to change the addr\n\n";
        server.SetAddress(new IPEndPoint(ip, port));
        return $"{string.Join(", ", changes)} by 'stats socket command'\n\n";
    }

    /// <summary>A literal IPv4 or IPv6 address (no name resolution, no shorthand such as a bare number).</summary>
    internal static bool TryParseIp(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (text.Contains(':'))
        {
            return IPAddress.TryParse(text, out address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }
        string[] parts = text.Split('.');
        if (parts.Length != 4) return false;
        foreach (string part in parts)
        {
            if (part.Length is 0 or > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value > 255) return false;
        }
        return IPAddress.TryParse(text, out address);
    }

    /// <summary><c>add server</c>: HAProxy's dynamic server, created in maintenance.</summary>
    private string AddServer(string[] arguments)
    {
        AddServerRequest request = AddServerRequest.Parse(arguments);
        Backend backend = FindBackend(request.Backend) ?? throw new ArgumentException("No such backend.");
        if (backend.State.DynamicServersRefusal() is { } refusal) throw new ArgumentException(refusal);
        if (backend.State.TryAdd(request.Config, out string? error) is null) throw new ArgumentException(error);
        return "New server registered.\n\n";
    }

    /// <summary>
    /// <c>del server</c>: only a server in maintenance with no connection left, as HAProxy. The shards
    /// are let past one loop turn before the connection count is read, so a pick made just before the
    /// server went into maintenance has been counted by then (see <see cref="Shard.Turns"/>).
    /// </summary>
    private string DelServer(string[] arguments)
    {
        if (arguments.Length != 1) throw new ArgumentException(arguments.Length == 0 ? "Require 'backend/server'." : "Too many arguments.");
        ServerState server = FindServer(arguments[0]);
        if (server.AdminState != AdminState.Maint) throw new ArgumentException("Only servers in maintenance mode can be deleted.");
        if (!_worker.WaitForShardTurns(TimeSpan.FromSeconds(2))) throw new ArgumentException("A shard did not answer in time; try again.");
        long connections = server.ActiveConnections;
        if (connections > 0)
        {
            throw new ArgumentException($"Server still has connections attached to it ({connections} current), cannot remove it.");
        }
        server.Backend.Remove(server);
        return "Server deleted.\n\n";
    }

    private string SetWeightCommand(string[] arguments)
    {
        if (arguments.Length != 2) throw new ArgumentException(arguments.Length == 0 ? "Require 'backend/server'." : "Require <weight>.");
        ServerState server = FindServer(arguments[0]);
        server.SetWeight(ParseWeight(arguments[1], server));
        return "\n";
    }

    /// <summary><c>N</c> (0..256) or <c>N%</c> of the configured weight, as HAProxy.</summary>
    private static int ParseWeight(string text, ServerState server)
    {
        bool relative = text.EndsWith('%');
        string digits = relative ? text[..^1] : text;
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new ArgumentException($"'{text}' is not a weight: expects an integer (0-{ServerState.MaxWeight}) or a percentage.");
        }
        if (relative) value = (int)Math.Min(int.MaxValue, (long)server.Config.Weight * value / 100);
        if (value > ServerState.MaxWeight) throw new ArgumentException($"Weight {value} is out of range (0-{ServerState.MaxWeight}).");
        return value;
    }

    /// <summary>HAProxy's map listing: one line per map, or one line per entry (<c>id key value</c>).</summary>
    private string ShowMap(string[] arguments)
    {
        if (arguments.Length > 1) throw new ArgumentException("Too many arguments.");
        var text = new StringBuilder();
        if (arguments.Length == 0)
        {
            text.Append("# id (file) description\n");
            int id = 0;
            foreach (MapFile map in _maps.Maps)
            {
                text.Append(id++).Append(" (").Append(map.Path).Append(") entry_cnt=").Append(map.Current.Entries.Length).Append('\n');
            }
            return text.Append('\n').ToString();
        }
        MapFile file = FindMap(arguments[0]);
        var entries = file.Current.Entries;
        for (int i = 0; i < entries.Length; i++)
        {
            text.Append("0x").Append(i.ToString("x", CultureInfo.InvariantCulture)).Append(' ')
                .Append(entries[i].Key).Append(' ').Append(entries[i].Value).Append('\n');
        }
        return text.Append('\n').ToString();
    }

    private string AddMap(string[] arguments)
    {
        if (arguments.Length < 3) throw new ArgumentException("'add map' expects three parameters: map identifier, key and value.");
        MapFile file = FindMap(arguments[0]);
        if (!file.TryAdd(arguments[1], string.Join(' ', arguments[2..]), out string? error)) throw new ArgumentException($"Failed to add a map entry: {error}");
        return "\n";
    }

    private string SetMap(string[] arguments)
    {
        if (arguments.Length < 3) throw new ArgumentException("'set map' expects three parameters: map identifier, key and value.");
        MapFile file = FindMap(arguments[0]);
        if (file.Set(arguments[1], string.Join(' ', arguments[2..])) == 0) throw new ArgumentException("entry not found.");
        return "\n";
    }

    private string DelMap(string[] arguments)
    {
        if (arguments.Length != 2) throw new ArgumentException("This command expects two parameters: map identifier and key.");
        if (FindMap(arguments[0]).Remove(arguments[1]) == 0) throw new ArgumentException("Key not found.");
        return "\n";
    }

    private string ClearMap(string[] arguments)
    {
        if (arguments.Length != 1) throw new ArgumentException("'clear map' expects a map identifier.");
        FindMap(arguments[0]).Clear();
        return "\n";
    }

    /// <summary>A map by file path (as in the configuration, or absolute) or by <c>#id</c> from <c>show map</c>.</summary>
    private MapFile FindMap(string name)
    {
        if (name.StartsWith('#') && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
        {
            MapFile? byId = _maps.Maps.ElementAtOrDefault(id);
            if (byId is not null) return byId;
        }
        else if (_maps.Find(name) is { } byPath)
        {
            return byPath;
        }
        throw new ArgumentException("Unknown map identifier. Please use #<id> or <file>.");
    }

    private Backend? FindBackend(string name)
    {
        foreach (Backend backend in _worker.Backends)
        {
            if (backend.Name == name) return backend;
        }
        return null;
    }

    private ServerState FindServer(string qualified)
    {
        int slash = qualified.IndexOf('/');
        if (slash <= 0 || slash == qualified.Length - 1) throw new ArgumentException("Require 'backend/server'.");
        Backend backend = FindBackend(qualified[..slash]) ?? throw new ArgumentException("No such backend.");
        return backend.State.FindServer(qualified[(slash + 1)..]) ?? throw new ArgumentException("No such server.");
    }

    private sealed record Command(string Name, RuntimeApiLevel Level, string Usage, string Help, Func<string[], string> Handler)
    {
        public string[] Words { get; } = Name.Split(' ');
    }
}
