using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Logging;

namespace Appliance.Tests.Engine;

/// <summary>
/// The shard engine in-process (no config file, no child process): TCP forwarding through splice
/// against loopback echo and sink servers.
/// </summary>
public sealed class TcpForwardingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Echo_round_trips_through_the_proxy_and_counts_spliced_bytes()
    {
        using var echo = LoopbackServer.Echo();
        using var proxy = Start(Config(FreePort(), echo.Port));
        int port = proxy.Worker.Config.Frontends[0].Binds[0].EndPoint.Port;

        using var client = await Connect(port);
        byte[] payload = RandomNumberGenerator.GetBytes(300_000);
        var sending = client.SendAsync(payload);
        byte[] received = await ReceiveExactly(client, payload.Length);
        await sending;
        Assert.Equal(payload, received);

        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await client.ReceiveAsync(new byte[1]));
        Assert.True(proxy.Worker.Sum(c => c.SplicedBytes) >= 2L * payload.Length);
    }

    [Fact]
    public async Task Half_close_from_the_client_still_delivers_the_full_answer()
    {
        using var sink = LoopbackServer.Sha256Sink();
        using var proxy = Start(Config(FreePort(), sink.Port));
        int port = proxy.Worker.Config.Frontends[0].Binds[0].EndPoint.Port;

        using var client = await Connect(port);
        byte[] payload = RandomNumberGenerator.GetBytes(5_000_000);
        await client.SendAsync(payload);
        client.Shutdown(SocketShutdown.Send);
        string answer = await ReceiveToEnd(client);
        Assert.Equal($"{payload.Length} {Convert.ToHexStringLower(SHA256.HashData(payload))}\n", answer);
    }

    [Fact]
    public async Task No_usable_server_closes_the_client_promptly()
    {
        int dead = FreePort();
        using var proxy = Start(Config(FreePort(), dead, retries: 1));
        int port = proxy.Worker.Config.Frontends[0].Binds[0].EndPoint.Port;
        using var client = await Connect(port);
        Task<int> read = client.ReceiveAsync(new byte[16], SocketFlags.None);
        Assert.True(await Task.WhenAny(read, Task.Delay(Deadline)) == read, "client was not closed");
        Assert.Equal(0, await read);
    }

    [Fact]
    public async Task Timeout_client_closes_an_idle_connection()
    {
        using var echo = LoopbackServer.Echo();
        using var proxy = Start(Config(FreePort(), echo.Port, clientTimeout: TimeSpan.FromSeconds(1)));
        int port = proxy.Worker.Config.Frontends[0].Binds[0].EndPoint.Port;
        using var client = await Connect(port);
        // Started before the last activity, so the measured idle time cannot be shortened by a slow
        // continuation of this test.
        var idle = System.Diagnostics.Stopwatch.StartNew();
        await client.SendAsync(new byte[] { 42 });
        await ReceiveExactly(client, 1);

        Task<int> read = client.ReceiveAsync(new byte[16], SocketFlags.None);
        Assert.True(await Task.WhenAny(read, Task.Delay(Deadline)) == read, "idle connection was not closed");
        // The shard clock is Environment.TickCount64 (a coarse clock, a few ms per tick): allow that much early.
        Assert.InRange(idle.ElapsedMilliseconds, 950, 6_000);
    }

    [Fact]
    public async Task A_connection_waits_in_the_queue_for_a_full_server_and_times_out_there()
    {
        using var echo = LoopbackServer.Echo();
        var config = Config(FreePort(), echo.Port, serverMaxConn: 1, queueTimeout: TimeSpan.FromSeconds(5));
        config = config with { Global = config.Global with { NbThread = 1 } };
        using var proxy = Start(config);
        int port = proxy.Worker.Config.Frontends[0].Binds[0].EndPoint.Port;

        using var first = await Connect(port);
        await first.SendAsync(new byte[] { 1 });
        await ReceiveExactly(first, 1);

        // The server is at maxconn 1: the second connection is accepted but waits for the slot.
        using var second = await Connect(port);
        await second.SendAsync(new byte[] { 2 });
        Task<byte[]> echoed = ReceiveExactly(second, 1);
        Assert.NotSame(echoed, await Task.WhenAny(echoed, Task.Delay(300)));

        first.Close();
        Assert.Equal(new byte[] { 2 }, await echoed);
    }

    [Fact]
    public async Task Timeout_queue_closes_a_connection_still_waiting()
    {
        using var echo = LoopbackServer.Echo();
        var config = Config(FreePort(), echo.Port, serverMaxConn: 1, queueTimeout: TimeSpan.FromMilliseconds(300));
        config = config with { Global = config.Global with { NbThread = 1 } };
        using var proxy = Start(config);
        int port = proxy.Worker.Config.Frontends[0].Binds[0].EndPoint.Port;

        using var first = await Connect(port);
        await first.SendAsync(new byte[] { 1 });
        await ReceiveExactly(first, 1);
        using var second = await Connect(port);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0, await second.ReceiveAsync(new byte[1], SocketFlags.None));
        Assert.InRange(waited.ElapsedMilliseconds, 100, 5_000); // the deadline started at accept, slightly before this stopwatch
    }

    [Fact]
    public async Task Stopping_returns_descriptors()
    {
        // .NET's socket engine opens its own descriptors (epoll, wake-up pipe) on first use: let that
        // happen before the baseline, so only the proxy's descriptors are counted.
        using (var warmUp = LoopbackServer.Echo())
        using (var socket = await Connect(warmUp.Port))
        {
            await socket.SendAsync(new byte[] { 0 });
            await ReceiveExactly(socket, 1);
        }
        int before = Directory.GetFiles("/proc/self/fd").Length;
        using (var echo = LoopbackServer.Echo())
        using (var proxy = Start(Config(FreePort(), echo.Port)))
        {
            int port = proxy.Worker.Config.Frontends[0].Binds[0].EndPoint.Port;
            for (int i = 0; i < 50; i++)
            {
                using var client = await Connect(port);
                await client.SendAsync(new byte[] { 1, 2, 3 });
                await ReceiveExactly(client, 3);
            }
        }
        // The loopback echo server closes its side asynchronously: give it a moment.
        int after = int.MaxValue;
        for (int i = 0; i < 50 && after > before + 2; i++)
        {
            if (i > 0) await Task.Delay(100);
            after = Directory.GetFiles("/proc/self/fd").Length;
        }
        Assert.InRange(after, 0, before + 2);
    }

    internal static RunningProxy Start(ApplianceConfig config)
    {
        var diagnostics = new List<Appliance.Config.ConfigDiagnostic>();
        CompiledConfig? compiled = CompiledConfig.Compile(config, diagnostics);
        Assert.True(compiled is not null, string.Join("\n", diagnostics));
        RunningProxy? proxy = RunningProxy.Start(compiled!, new StderrEventLog(TextWriter.Null), out string? error);
        Assert.True(proxy is not null, error);
        return proxy!;
    }

    internal static ApplianceConfig Config(int frontendPort, int serverPort, int retries = 3, TimeSpan? clientTimeout = null,
        int serverMaxConn = 0, TimeSpan? queueTimeout = null)
    {
        var location = new SourceLocation("test.cfg", 1);
        var timeouts = new Timeouts(Connect: TimeSpan.FromSeconds(1), Client: clientTimeout ?? TimeSpan.FromSeconds(30), Server: TimeSpan.FromSeconds(30),
            Queue: queueTimeout);
        var server = new ServerConfig("s1", new IPEndPoint(IPAddress.Loopback, serverPort), location, MaxConn: serverMaxConn);
        var backend = new BackendConfig("be", ProxyMode.Tcp, BalanceAlgorithm.RoundRobin,
            new ValueList<ServerConfig>([server]), retries, false, timeouts, location);
        var bind = new BindConfig(new IPEndPoint(IPAddress.Loopback, frontendPort), false, location);
        var frontend = new FrontendConfig("fe", ProxyMode.Tcp, new ValueList<BindConfig>([bind]), "be",
            ValueList<AclConfig>.Empty, ValueList<UseBackendRule>.Empty, 0, timeouts, location);
        return new ApplianceConfig(new GlobalConfig(NbThread: 2), new ValueList<FrontendConfig>([frontend]), new ValueList<BackendConfig>([backend]));
    }

    private static readonly HashSet<int> GivenPorts = [];

    /// <summary>
    /// A loopback port free a moment ago, never the same twice in this process: the kernel may return a
    /// port it just gave, and a config using it twice (SO_REUSEPORT) would share connections between binds.
    /// </summary>
    internal static int FreePort()
    {
        lock (GivenPorts)
        {
            for (int attempt = 0; ; attempt++)
            {
                using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)probe.LocalEndPoint!).Port;
                if (GivenPorts.Add(port) || attempt >= 100) return port;
            }
        }
    }

    internal static async Task<Socket> Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        return socket;
    }

    internal static async Task<byte[]> ReceiveExactly(Socket socket, int length)
    {
        var buffer = new byte[length];
        int read = 0;
        using var timeout = new CancellationTokenSource(Deadline);
        while (read < length)
        {
            int n = await socket.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
            if (n == 0) throw new EndOfStreamException($"closed after {read} of {length} bytes");
            read += n;
        }
        return buffer;
    }

    internal static async Task<string> ReceiveToEnd(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[65536];
        using var timeout = new CancellationTokenSource(Deadline);
        int n;
        while ((n = await socket.ReceiveAsync(buffer, timeout.Token)) > 0) all.Write(buffer, 0, n);
        return System.Text.Encoding.ASCII.GetString(all.ToArray());
    }
}
