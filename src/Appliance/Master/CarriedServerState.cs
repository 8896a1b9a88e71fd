using System.Net;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Forwarding;

namespace Appliance.Master;

/// <summary>
/// One server's runtime state as it crosses a reload or a worker restart: the old generation reports
/// it, the master hands it to the next one, which applies it to servers that still exist (same backend,
/// name and address) before any shard accepts. Runtime changes survive unless the new configuration
/// itself changed that setting (HAProxy's rule for <c>server-state-file</c>): the weight is kept when
/// the configured weight is unchanged, the admin state when <c>disabled</c> is unchanged, and the
/// health state when both generations check the server.
/// <para>
/// Runtime changes of the server list carry over too, as long as the backend still exists: a server added
/// with <c>add server</c> (<see cref="Definition"/> is its definition) is added again to the new
/// generation's backend with its state, unless the new file now declares a server of that name (the file
/// wins) or the backend's new algorithm refuses dynamic servers; an address set with
/// <c>set server … addr</c> (<see cref="CurrentAddress"/>) is applied again unless the file changed the
/// server's address. A configured server deleted at runtime comes back with the file, as in HAProxy.
/// </para>
/// </summary>
internal sealed record CarriedServerState(
    string Backend,
    string Server,
    string Address,
    bool Checked,
    OperationalState Operational,
    AdminState Admin,
    int Weight,
    int ConfiguredWeight,
    bool ConfiguredDisabled,
    long LastChangeTicks,
    long CheckFailures,
    long DownTransitions,
    string? CurrentAddress = null,
    ServerConfig? Definition = null,
    bool HealthChecks = true)
{
    public static List<CarriedServerState> Capture(IEnumerable<BackendState> backends)
    {
        var states = new List<CarriedServerState>();
        foreach (BackendState backend in backends)
        {
            foreach (ServerState server in backend.Servers)
            {
                string current = server.Address.ToString();
                string configured = server.Config.Address.ToString();
                states.Add(new CarriedServerState(
                    backend.Name, server.Name, configured, server.Config.Check,
                    server.OperationalState, server.AdminState, server.Weight, server.Config.Weight, server.Config.Disabled,
                    server.LastStateChange.UtcTicks, server.CheckFailures, server.DownTransitions,
                    current == configured ? null : current, server.IsDynamic ? server.Config : null, server.HealthChecksEnabled));
            }
        }
        return states;
    }

    /// <summary>
    /// Applies carried states to a new generation's servers, re-adding dynamic servers first; returns how
    /// many servers got a state. Runs before any shard or the prober starts. <paramref name="skipped"/>
    /// receives one line per dynamic server that could not be carried over, saying why.
    /// </summary>
    public static int Apply(IReadOnlyList<Backend> backends, IReadOnlyList<CarriedServerState> carried, Action<string>? skipped = null)
    {
        if (carried.Count == 0) return 0;
        var byName = new Dictionary<(string, string), CarriedServerState>();
        foreach (CarriedServerState state in carried) byName[(state.Backend, state.Server)] = state;
        AddDynamicServers(backends, carried, skipped);
        int applied = 0;
        foreach (Backend backend in backends)
        {
            foreach (ServerState server in backend.State.Servers)
            {
                if (!byName.TryGetValue((backend.Name, server.Name), out CarriedServerState? old)) continue;
                if (old.Address != server.Config.Address.ToString()) continue;
                if (server.IsDynamic != (old.Definition is not null)) continue; // the file now declares a former dynamic server
                OperationalState operational = old.Checked && server.Config.Check ? old.Operational : server.OperationalState;
                AdminState? admin = old.ConfiguredDisabled == server.Config.Disabled ? old.Admin : null;
                int? weight = old.ConfiguredWeight == server.Config.Weight ? old.Weight : null;
                server.Restore(operational, admin, weight, new DateTimeOffset(old.LastChangeTicks, TimeSpan.Zero),
                    old.CheckFailures, old.DownTransitions);
                if (old.CurrentAddress is not null && IPEndPoint.TryParse(old.CurrentAddress, out IPEndPoint? current)) server.SetAddress(current);
                // 'enable|disable health' given at runtime holds, as long as the server is still checked.
                if (old.Checked && server.Config.Check) server.SetHealthChecks(old.HealthChecks);
                applied++;
            }
        }
        return applied;
    }

    private static void AddDynamicServers(IReadOnlyList<Backend> backends, IReadOnlyList<CarriedServerState> carried, Action<string>? skipped)
    {
        foreach (CarriedServerState old in carried)
        {
            if (old.Definition is not { } definition) continue;
            Backend? backend = null;
            foreach (Backend candidate in backends)
            {
                if (candidate.Name == old.Backend) backend = candidate;
            }
            string why;
            if (backend is null) why = "its backend no longer exists";
            else if (backend.State.FindServer(old.Server) is not null) why = "the configuration now declares a server of that name";
            else if (backend.State.DynamicServersRefusal() is { } refusal) why = refusal;
            else if (backend.State.TryAdd(definition, out string? error) is null) why = error ?? "refused";
            else continue;
            skipped?.Invoke($"dynamic server {old.Backend}/{old.Server} not carried over: {why}");
        }
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Backend);
        writer.Write(Server);
        writer.Write(Address);
        writer.Write(Checked);
        writer.Write((int)Operational);
        writer.Write((int)Admin);
        writer.Write(Weight);
        writer.Write(ConfiguredWeight);
        writer.Write(ConfiguredDisabled);
        writer.Write(LastChangeTicks);
        writer.Write(CheckFailures);
        writer.Write(DownTransitions);
        writer.Write(CurrentAddress ?? "");
        writer.Write(Definition is not null);
        if (Definition is { } d)
        {
            writer.Write(d.Address.ToString());
            writer.Write(d.Check);
            WriteTime(writer, d.Inter);
            WriteTime(writer, d.FastInter);
            WriteTime(writer, d.DownInter);
            writer.Write(d.Rise);
            writer.Write(d.Fall);
            writer.Write(d.Weight);
            writer.Write(d.Backup);
            writer.Write(d.MaxConn);
            writer.Write(d.Disabled);
            writer.Write(d.CheckPort ?? 0);
            writer.Write(d.PoolMaxConn);
            writer.Write(d.PoolLowConn);
            WriteTime(writer, d.PoolPurgeDelay);
        }
        writer.Write(HealthChecks);
    }

    private static void WriteTime(BinaryWriter writer, TimeSpan? time) => writer.Write(time?.Ticks ?? -1);

    private static TimeSpan? ReadTime(BinaryReader reader) => reader.ReadInt64() is var ticks and >= 0 ? TimeSpan.FromTicks(ticks) : null;

    public static CarriedServerState Read(BinaryReader reader)
    {
        var state = new CarriedServerState(
            reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadBoolean(),
            (OperationalState)reader.ReadInt32(), (AdminState)reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(),
            reader.ReadBoolean(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());
        string current = reader.ReadString();
        ServerConfig? definition = null;
        if (reader.ReadBoolean())
        {
            IPEndPoint address = IPEndPoint.Parse(reader.ReadString());
            bool check = reader.ReadBoolean();
            TimeSpan? inter = ReadTime(reader), fastInter = ReadTime(reader), downInter = ReadTime(reader);
            int rise = reader.ReadInt32(), fall = reader.ReadInt32(), weight = reader.ReadInt32();
            bool backup = reader.ReadBoolean();
            int maxConn = reader.ReadInt32();
            bool disabled = reader.ReadBoolean();
            int checkPort = reader.ReadInt32();
            int poolMaxConn = reader.ReadInt32(), poolLowConn = reader.ReadInt32();
            TimeSpan? poolPurgeDelay = ReadTime(reader);
            definition = new ServerConfig(state.Server, address, DynamicServerLocation, check, inter, fastInter, downInter, rise, fall,
                weight, backup, maxConn, disabled, checkPort == 0 ? null : checkPort, poolMaxConn, poolLowConn, poolPurgeDelay);
        }
        bool healthChecks = reader.ReadBoolean();
        return state with { CurrentAddress = current.Length == 0 ? null : current, Definition = definition, HealthChecks = healthChecks };
    }

    /// <summary>Where a dynamic server's definition points in messages: it comes from the runtime API, not a file.</summary>
    public static SourceLocation DynamicServerLocation => Runtime.AddServerRequest.Location;

    public static void WriteList(BinaryWriter writer, IReadOnlyList<CarriedServerState> states)
    {
        writer.Write(states.Count);
        foreach (CarriedServerState state in states) state.Write(writer);
    }

    public static List<CarriedServerState> ReadList(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        var states = new List<CarriedServerState>(count);
        for (int i = 0; i < count; i++) states.Add(Read(reader));
        return states;
    }
}
