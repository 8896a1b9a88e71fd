using System.Net;
using System.Net.Sockets;
using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Health;
using static Appliance.Tests.Balancing.TestBackends;

namespace Appliance.Tests.Health;

public class TcpConnectCheckTests
{
    private static readonly CheckTimeouts Quick = new(TimeSpan.FromSeconds(2), null);

    private static ServerState ServerAt(int port) =>
        Backend(BalanceAlgorithm.RoundRobin, Server("s", check: true, port: port)).Servers[0];

    [Fact]
    public async Task Listening_server_passes()
    {
        using var listener = new LoopbackListener();
        var outcome = await new TcpConnectCheck().RunAsync(ServerAt(listener.EndPoint.Port), Quick, CancellationToken.None);
        Assert.Equal(new CheckOutcome(CheckStatus.L4Ok), outcome);
    }

    [Fact]
    public async Task Closed_port_is_a_connection_problem_with_the_system_text()
    {
        using var listener = new LoopbackListener();
        int port = listener.EndPoint.Port;
        listener.Close();

        var outcome = await new TcpConnectCheck().RunAsync(ServerAt(port), Quick, CancellationToken.None);

        Assert.Equal(new CheckOutcome(CheckStatus.L4Connection, "Connection refused"), outcome);
    }

    [Fact]
    public async Task Unanswered_connect_is_a_timeout()
    {
        // A listener whose accept queue is full drops new SYNs, so the connect hangs until our deadline.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = new List<Socket>();
        try
        {
            var check = new TcpConnectCheck();
            var server = ServerAt(endpoint.Port);
            var shortDeadline = new CheckTimeouts(TimeSpan.FromMilliseconds(150), null);
            CheckOutcome outcome = default;
            for (int i = 0; i < 8 && outcome.Status != CheckStatus.L4Timeout; i++)
            {
                var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                _ = filler.ConnectAsync(endpoint).ContinueWith(_ => { }, TaskScheduler.Default);
                outcome = await check.RunAsync(server, shortDeadline, CancellationToken.None);
            }
            Assert.Equal(new CheckOutcome(CheckStatus.L4Timeout), outcome);
        }
        finally
        {
            foreach (var f in fillers) f.Dispose();
        }
    }

    [Fact]
    public async Task Stopping_cancels_a_pending_connect()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var endpoint = (IPEndPoint)listener.LocalEndPoint!;
        var fillers = Enumerable.Range(0, 4).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToList();
        try
        {
            foreach (var f in fillers) _ = f.ConnectAsync(endpoint).ContinueWith(_ => { }, TaskScheduler.Default);
            using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            var run = new TcpConnectCheck().RunAsync(ServerAt(endpoint.Port), new CheckTimeouts(TimeSpan.FromSeconds(30), null), stop.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(5)));
        }
        finally
        {
            foreach (var f in fillers) f.Dispose();
        }
    }
}
