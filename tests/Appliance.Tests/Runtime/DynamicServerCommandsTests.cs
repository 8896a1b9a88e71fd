using System.Net;
using System.Net.Sockets;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Runtime;
using Appliance.Tests.Engine;

namespace Appliance.Tests.Runtime;

/// <summary>
/// <c>add server</c>, <c>del server</c> and <c>set server … addr</c> on an in-process proxy (TCP, round-robin,
/// two shards): answers in HAProxy's words, state changes, listings, and traffic following the change.
/// </summary>
public sealed class DynamicServerCommandsTests : IDisposable
{
    private readonly TcpListener _origin = new(IPAddress.Loopback, 0);
    private readonly int _frontendPort = TcpForwardingTests.FreePort();
    private readonly RunningProxy _proxy;

    public DynamicServerCommandsTests()
    {
        _origin.Start();
        _proxy = TcpForwardingTests.Start(TcpForwardingTests.Config(_frontendPort, TcpForwardingTests.FreePort()));
    }

    private int OriginPort => ((IPEndPoint)_origin.LocalEndpoint).Port;

    private string Admin(string command) => _proxy.Commands.Execute(command, RuntimeApiLevel.Admin);

    private BackendState Backend => _proxy.Worker.Backends[0].State;

    public void Dispose()
    {
        _proxy.Dispose();
        _origin.Stop();
    }

    [Fact]
    public void Add_enable_disable_delete()
    {
        Assert.Equal("New server registered.\n\n", Admin($"add server be/s2 127.0.0.1:{OriginPort} weight 3"));
        ServerState s2 = Backend.FindServer("s2")!;
        Assert.True(s2.IsDynamic);
        Assert.Equal(AdminState.Maint, s2.AdminState);
        Assert.Equal(3, s2.Weight);
        Assert.Contains("\nbe,s2,", Admin("show stat"));
        Assert.Contains(" be 2 s2 127.0.0.1 2 1 3 3 ", Admin("show servers state"));
        Assert.StartsWith("Already exists a server with the same name in backend.\nUsage: add server",
            Admin($"add server be/s2 127.0.0.1:{OriginPort}"));

        Assert.Equal("\n", Admin("enable server be/s2"));
        Assert.True(s2.IsUsable);
        Assert.StartsWith("Only servers in maintenance mode can be deleted.\n", Admin("del server be/s2"));
        Assert.Equal("\n", Admin("set server be/s2 state maint"));
        Assert.Equal("Server deleted.\n\n", Admin("del server be/s2"));
        Assert.True(s2.IsDeleted);
        Assert.Null(Backend.FindServer("s2"));
        Assert.DoesNotContain(",s2,", Admin("show stat"));
        Assert.StartsWith("No such server.\n", Admin("del server be/s2"));
    }

    [Fact]
    public void Traffic_reaches_an_enabled_dynamic_server_and_a_held_connection_blocks_its_deletion()
    {
        Admin("disable server be/s1"); // s1 points nowhere: only the dynamic server can answer
        Assert.Equal("New server registered.\n\n", Admin($"add server be/s2 127.0.0.1:{OriginPort}"));
        Assert.Equal("\n", Admin("enable server be/s2"));

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, _frontendPort);
        using Socket accepted = AcceptWithin(TimeSpan.FromSeconds(10));
        ServerState s2 = Backend.FindServer("s2")!;
        Assert.Equal(1, s2.ActiveConnections);

        Assert.Equal("\n", Admin("disable server be/s2"));
        Assert.StartsWith("Server still has connections attached to it (1 current), cannot remove it.\n", Admin("del server be/s2"));
        client.Close();
        accepted.Close();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        string answer;
        while ((answer = Admin("del server be/s2")) != "Server deleted.\n\n" && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Equal("Server deleted.\n\n", answer);
    }

    [Fact]
    public void Deleting_a_server_does_not_take_its_traffic_out_of_the_backend_totals()
    {
        Admin("disable server be/s1");
        Admin($"add server be/s2 127.0.0.1:{OriginPort}");
        Admin("enable server be/s2");
        ServerState s2 = Backend.FindServer("s2")!;
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.Connect(IPAddress.Loopback, _frontendPort);
            using Socket accepted = AcceptWithin(TimeSpan.FromSeconds(10));
            client.Send("ping"u8);
            var buffer = new byte[4];
            accepted.ReceiveTimeout = 10_000;
            int received = 0;
            while (received < 4) received += accepted.Receive(buffer, received, 4 - received, SocketFlags.None);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (s2.ActiveConnections > 0 && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Equal(0, s2.ActiveConnections);

        var exporter = new Appliance.Metrics.MetricsExporter(_proxy.Worker, null, null);
        long stotBefore = BackendField("stot");
        string countLine = "appliance_backend_total_time_seconds_count{proxy=\"be\"} ";
        long histogramBefore = MetricValue(exporter, countLine);
        long sessionsBefore = MetricValue(exporter, "appliance_backend_sessions_total{proxy=\"be\"} ");
        Assert.Equal(1, stotBefore);
        Assert.Equal(1, histogramBefore);
        Assert.Equal(1, sessionsBefore);

        Admin("disable server be/s2");
        Assert.Equal("Server deleted.\n\n", Admin("del server be/s2"));
        Assert.Equal(stotBefore, BackendField("stot"));
        Assert.Equal(histogramBefore, MetricValue(exporter, countLine));

        // Across a reload: this generation's counters become the next one's baseline, deleted servers included.
        var carried = new MemoryStream();
        using (var writer = new BinaryWriter(carried, System.Text.Encoding.UTF8, leaveOpen: true)) CounterSnapshot.Capture(_proxy.Worker).Write(writer);
        carried.Position = 0;
        CounterSnapshot baseline = CounterSnapshot.Read(new BinaryReader(carried));
        string withBaseline = StatCsv.Render(_proxy.Worker, baseline, "be");
        Assert.Contains(",BACKEND,", withBaseline);
        string[] csv = withBaseline.Split('\n');
        int stotColumn = Array.IndexOf(csv[0].TrimStart('#', ' ').Split(','), "stot");
        Assert.Equal("2", csv.Single(l => l.StartsWith("be,BACKEND,", StringComparison.Ordinal)).Split(',')[stotColumn]);
        var nextGeneration = new Appliance.Metrics.MetricsExporter(_proxy.Worker, () => baseline, null);
        Assert.Equal(2 * histogramBefore, MetricValue(nextGeneration, countLine));

        // A later connection adds to the totals instead of being hidden by the deleted server's count.
        Admin($"add server be/s3 127.0.0.1:{OriginPort}");
        Admin("enable server be/s3");
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            client.Connect(IPAddress.Loopback, _frontendPort);
            using Socket accepted = AcceptWithin(TimeSpan.FromSeconds(10));
        }
        ServerState s3 = Backend.FindServer("s3")!;
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((s3.TotalConnections == 0 || s3.ActiveConnections > 0) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.Equal(2, BackendField("stot"));
        Assert.Equal(2, MetricValue(exporter, "appliance_backend_sessions_total{proxy=\"be\"} "));
    }

    private long BackendField(string field)
    {
        string[] lines = Admin("show stat").Split('\n');
        int column = Array.IndexOf(lines[0].TrimStart('#', ' ').Split(','), field);
        string row = lines.Single(l => l.StartsWith("be,BACKEND,", StringComparison.Ordinal));
        return long.Parse(row.Split(',')[column], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static long MetricValue(Appliance.Metrics.MetricsExporter exporter, string prefix)
    {
        string text = System.Text.Encoding.UTF8.GetString(exporter.Render());
        string line = text.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return (long)double.Parse(line[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void Set_server_addr_moves_new_connections()
    {
        ServerState s1 = Backend.FindServer("s1")!;
        IPEndPoint configured = s1.Config.Address;
        Assert.Equal($"port changed from '{configured.Port}' to '{OriginPort}' by 'stats socket command'\n\n",
            Admin($"set server be/s1 addr 127.0.0.1 port {OriginPort}"));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, OriginPort), s1.Address);
        Assert.Equal(configured, s1.Config.Address);
        Assert.Contains($",127.0.0.1:{OriginPort},", Admin("show stat"));

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(IPAddress.Loopback, _frontendPort);
        using Socket accepted = AcceptWithin(TimeSpan.FromSeconds(10));
        Assert.Equal(1, s1.ActiveConnections);

        Assert.Equal("IP changed from '127.0.0.1' to '127.0.0.2' by 'stats socket command'\n\n", Admin("set server be/s1 addr 127.0.0.2"));
        // The open connection is not touched: it still carries bytes to the old address.
        client.Send("ping"u8);
        var buffer = new byte[4];
        accepted.ReceiveTimeout = 10_000;
        int received = 0;
        while (received < 4) received += accepted.Receive(buffer, received, 4 - received, SocketFlags.None);
        Assert.Equal("ping"u8.ToArray(), buffer);
        Assert.Equal(1, s1.ActiveConnections);
        Assert.Equal($"IP changed from '127.0.0.2' to '::1', port changed from '{OriginPort}' to '81' by 'stats socket command'\n\n",
            Admin("set server be/s1 addr ::1 port 81"));
        Assert.Equal("no need to change the addr\n\n", Admin("set server be/s1 addr ::1 port 81"));
        Assert.StartsWith("Invalid IP address '1'.\nUsage: set server", Admin("set server be/s1 addr 1"));
        Assert.StartsWith("Invalid IP address 'localhost'.\n", Admin("set server be/s1 addr localhost"));
    }

    [Fact]
    public void Only_the_admin_level_changes_servers()
    {
        foreach (var level in new[] { RuntimeApiLevel.User, RuntimeApiLevel.Operator })
        {
            Assert.Equal("Permission denied\n\n", _proxy.Commands.Execute($"add server be/x 127.0.0.1:{OriginPort}", level));
            Assert.Equal("Permission denied\n\n", _proxy.Commands.Execute("del server be/s1", level));
            Assert.Equal("Permission denied\n\n", _proxy.Commands.Execute("set server be/s1 addr 127.0.0.2", level));
        }
        Assert.Null(Backend.FindServer("x"));
        Assert.Contains("add server <backend>/<server> <addr>:<port>", _proxy.Commands.Execute("help", RuntimeApiLevel.Admin));
        Assert.DoesNotContain("add server", _proxy.Commands.Execute("help", RuntimeApiLevel.Operator));
    }

    private Socket AcceptWithin(TimeSpan timeout)
    {
        Task<Socket> accept = _origin.AcceptSocketAsync();
        Assert.True(accept.Wait(timeout), "the proxy did not connect to the origin");
        return accept.Result;
    }
}
