using System.Net;
using System.Net.Sockets;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
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
