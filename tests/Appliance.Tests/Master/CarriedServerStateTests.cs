using System.Net;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Forwarding;
using Appliance.Master;

namespace Appliance.Tests.Master;

/// <summary>
/// What crosses a reload: runtime changes survive unless the new file changed that same setting (HAProxy's
/// server-state-file rule), health only between checked servers, nothing for a server whose address changed.
/// </summary>
public sealed class CarriedServerStateTests
{
    private static readonly SourceLocation Here = new("test.cfg", 1);

    [Fact]
    public void Runtime_weight_and_admin_state_survive_when_the_file_did_not_change_them()
    {
        var old = Backends(Server("s1", weight: 2, check: true));
        ServerState before = old[0].State.Servers[0];
        before.SetWeight(7);
        before.SetAdminState(AdminState.Drain);
        before.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);

        var next = Backends(Server("s1", weight: 2, check: true));
        Assert.Equal(1, CarriedServerState.Apply(next, CarriedServerState.Capture(old.Select(b => b.State))));
        ServerState after = next[0].State.Servers[0];
        Assert.Equal(7, after.Weight);
        Assert.Equal(AdminState.Drain, after.AdminState);
        Assert.Equal(OperationalState.Down, after.OperationalState);
        Assert.Equal(1, after.DownTransitions);
        Assert.True(after.WasRestored);
    }

    [Fact]
    public void A_changed_configured_weight_wins_over_the_runtime_one()
    {
        var old = Backends(Server("s1", weight: 1));
        old[0].State.Servers[0].SetWeight(5);
        var next = Backends(Server("s1", weight: 3));
        CarriedServerState.Apply(next, CarriedServerState.Capture(old.Select(b => b.State)));
        Assert.Equal(3, next[0].State.Servers[0].Weight);
    }

    [Fact]
    public void Health_is_carried_only_between_checked_servers_and_never_to_a_new_address()
    {
        var old = Backends(Server("s1", check: true), Server("s2", check: true));
        foreach (ServerState server in old[0].State.Servers) server.SetOperationalState(OperationalState.Down, DateTimeOffset.UtcNow);
        var carried = CarriedServerState.Capture(old.Select(b => b.State));

        var next = Backends(Server("s1", check: false), Server("s2", check: true, port: 9999));
        Assert.Equal(1, CarriedServerState.Apply(next, carried));
        Assert.Equal(OperationalState.Up, next[0].State.Servers[0].OperationalState);
        Assert.Equal(OperationalState.Up, next[0].State.Servers[1].OperationalState);
        Assert.False(next[0].State.Servers[1].WasRestored);
    }

    [Fact]
    public void The_wire_form_round_trips()
    {
        var old = Backends(Server("s1", weight: 4, check: true));
        old[0].State.Servers[0].SetAdminState(AdminState.Maint);
        var states = CarriedServerState.Capture(old.Select(b => b.State));
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) CarriedServerState.WriteList(writer, states);
        stream.Position = 0;
        Assert.Equal(states, CarriedServerState.ReadList(new BinaryReader(stream)));
    }

    [Fact]
    public void Dynamic_servers_come_back_with_their_definition_and_state()
    {
        var old = Backends(Server("s1"));
        ServerConfig definition = Server("dyn", weight: 4, check: true, port: 9001) with
        {
            Disabled = true, Inter = TimeSpan.FromMilliseconds(300), MaxConn = 7, CheckPort = 9002, Location = Appliance.Runtime.AddServerRequest.Location,
            PoolMaxConn = 3, PoolLowConn = 2, PoolPurgeDelay = TimeSpan.FromSeconds(9),
        };
        ServerState added = old[0].State.TryAdd(definition, out _)!;
        added.SetAdminState(AdminState.Ready);
        added.SetWeight(9);
        added.SetAddress(new IPEndPoint(IPAddress.Loopback, 9100));
        Assert.False(added.HealthChecksEnabled); // as HAProxy: until 'enable health'
        added.SetHealthChecks(true);
        var carried = RoundTrip(CarriedServerState.Capture(old.Select(b => b.State)));

        var next = Backends(Server("s1"));
        var skipped = new List<string>();
        Assert.Equal(2, CarriedServerState.Apply(next, carried, skipped.Add));
        Assert.Empty(skipped);
        ServerState after = next[0].State.FindServer("dyn")!;
        Assert.True(after.IsDynamic);
        Assert.Equal(definition, after.Config);
        Assert.Equal(AdminState.Ready, after.AdminState);
        Assert.Equal(9, after.Weight);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9100), after.Address);
        Assert.True(after.HealthChecksEnabled);
        Assert.Equal(["s1", "dyn"], next[0].State.Servers.Select(s => s.Name));
    }

    [Fact]
    public void A_dynamic_server_is_dropped_when_the_file_now_declares_its_name_or_its_backend_is_gone()
    {
        var old = Backends(Server("s1"));
        old[0].State.TryAdd(Server("dyn", port: 9001) with { Disabled = true }, out _);
        var carried = CarriedServerState.Capture(old.Select(b => b.State));

        var declared = Backends(Server("s1"), Server("dyn", port: 9050));
        var skipped = new List<string>();
        CarriedServerState.Apply(declared, carried, skipped.Add);
        ServerState dyn = declared[0].State.FindServer("dyn")!;
        Assert.False(dyn.IsDynamic);
        Assert.Equal(9050, dyn.Address.Port);
        Assert.Equal(["dynamic server be/dyn not carried over: the configuration now declares a server of that name"], skipped);

        var renamed = new List<Backend> { new(0, new BackendState(Backends(Server("s1"))[0].State.Config with { Name = "other" }, 2)) };
        skipped.Clear();
        CarriedServerState.Apply(renamed, carried, skipped.Add);
        Assert.Equal(["s1"], renamed[0].State.Servers.Select(s => s.Name));
        Assert.Equal(["dynamic server be/dyn not carried over: its backend no longer exists"], skipped);
    }

    [Fact]
    public void A_runtime_address_survives_unless_the_file_changed_the_address()
    {
        var old = Backends(Server("s1", port: 8080), Server("s2", port: 8081));
        foreach (ServerState server in old[0].State.Servers) server.SetAddress(new IPEndPoint(IPAddress.Loopback, 9999));
        var carried = RoundTrip(CarriedServerState.Capture(old.Select(b => b.State)));

        var next = Backends(Server("s1", port: 8080), Server("s2", port: 7000));
        CarriedServerState.Apply(next, carried);
        Assert.Equal(9999, next[0].State.Servers[0].Address.Port);
        Assert.Equal(7000, next[0].State.Servers[1].Address.Port);
    }

    private static List<CarriedServerState> RoundTrip(List<CarriedServerState> states)
    {
        var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) CarriedServerState.WriteList(writer, states);
        stream.Position = 0;
        var read = CarriedServerState.ReadList(new BinaryReader(stream));
        Assert.Equal(states, read);
        return read;
    }

    private static ServerConfig Server(string name, int weight = 1, bool check = false, int port = 8080) =>
        new(name, new IPEndPoint(IPAddress.Loopback, port), Here, Check: check, Weight: weight);

    private static List<Backend> Backends(params ServerConfig[] servers)
    {
        var config = new BackendConfig("be", ProxyMode.Tcp, BalanceAlgorithm.RoundRobin, new ValueList<ServerConfig>(servers),
            3, false, new Timeouts(), Here);
        return [new Backend(0, new BackendState(config, shardCount: 2))];
    }
}
