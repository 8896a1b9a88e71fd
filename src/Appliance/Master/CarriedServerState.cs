using Appliance.Balancing;
using Appliance.Forwarding;

namespace Appliance.Master;

/// <summary>
/// One server's runtime state as it crosses a reload or a worker restart: the old generation reports
/// it, the master hands it to the next one, which applies it to servers that still exist (same backend,
/// name and address) before any shard accepts. Runtime changes survive unless the new configuration
/// itself changed that setting (HAProxy's rule for <c>server-state-file</c>): the weight is kept when
/// the configured weight is unchanged, the admin state when <c>disabled</c> is unchanged, and the
/// health state when both generations check the server.
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
    long DownTransitions)
{
    public static List<CarriedServerState> Capture(IEnumerable<BackendState> backends)
    {
        var states = new List<CarriedServerState>();
        foreach (BackendState backend in backends)
        {
            foreach (ServerState server in backend.Servers)
            {
                states.Add(new CarriedServerState(
                    backend.Name, server.Name, server.Config.Address.ToString(), server.Config.Check,
                    server.OperationalState, server.AdminState, server.Weight, server.Config.Weight, server.Config.Disabled,
                    server.LastStateChange.UtcTicks, server.CheckFailures, server.DownTransitions));
            }
        }
        return states;
    }

    /// <summary>Applies carried states to a new generation's servers; returns how many servers matched.</summary>
    public static int Apply(IReadOnlyList<Backend> backends, IReadOnlyList<CarriedServerState> carried)
    {
        if (carried.Count == 0) return 0;
        var byName = new Dictionary<(string, string), CarriedServerState>();
        foreach (CarriedServerState state in carried) byName[(state.Backend, state.Server)] = state;
        int applied = 0;
        foreach (Backend backend in backends)
        {
            foreach (ServerState server in backend.State.Servers)
            {
                if (!byName.TryGetValue((backend.Name, server.Name), out CarriedServerState? old)) continue;
                if (old.Address != server.Config.Address.ToString()) continue;
                OperationalState operational = old.Checked && server.Config.Check ? old.Operational : server.OperationalState;
                AdminState? admin = old.ConfiguredDisabled == server.Config.Disabled ? old.Admin : null;
                int? weight = old.ConfiguredWeight == server.Config.Weight ? old.Weight : null;
                server.Restore(operational, admin, weight, new DateTimeOffset(old.LastChangeTicks, TimeSpan.Zero),
                    old.CheckFailures, old.DownTransitions);
                applied++;
            }
        }
        return applied;
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
    }

    public static CarriedServerState Read(BinaryReader reader) => new(
        reader.ReadString(), reader.ReadString(), reader.ReadString(), reader.ReadBoolean(),
        (OperationalState)reader.ReadInt32(), (AdminState)reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(),
        reader.ReadBoolean(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64());

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
