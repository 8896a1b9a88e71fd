using System.Net;
using System.Net.Sockets;
using Appliance.Testing;

namespace Appliance.TestBackend;

/// <summary>
/// Listens on one TCP port and serves every connection with the script chosen by <c>--mode</c>. Prints exactly
/// one stdout line, <c>LISTENING &lt;port&gt;</c>, once the socket listens; exits 0 on SIGTERM/SIGINT or stdin EOF.
/// </summary>
internal static class Program
{
    // Deep enough for the integration tests' bursts of thousands of sequential connections; the kernel caps
    // it at net.core.somaxconn anyway.
    private const int ListenBacklog = 4096;

    // <sys/socket.h> on Linux.
    private const int SolSocket = 1;
    private const int SoReuseAddr = 2;

    private static async Task<int> Main(string[] args)
    {
        BackendOptions options;
        try
        {
            options = BackendOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"{e.Message}\n{BackendOptions.Usage}");
            return 2;
        }

        using var shutdown = new ShutdownTrigger(options.WatchStandardInput);
        using var listener = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        // Restarting on the same port must work while old connections sit in TIME_WAIT, so SO_REUSEADDR. Set raw:
        // .NET's ReuseAddress also sets SO_REUSEPORT on Linux, which would let a second instance silently share
        // the port instead of failing.
        listener.SetRawSocketOption(SolSocket, SoReuseAddr, BitConverter.GetBytes(1));
        try
        {
            listener.Bind(new IPEndPoint(options.Address, options.Port));
            listener.Listen(ListenBacklog);
        }
        catch (SocketException e)
        {
            await Console.Error.WriteLineAsync($"cannot listen on {options.Address}:{options.Port}: {e.Message}");
            return 1;
        }

        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        Console.Out.WriteLine($"LISTENING {port}");
        Console.Out.Flush();

        using var recorder = options.RecordPath is { } recordPath ? OriginRecorder.Open(recordPath) : OriginRecorder.Disabled;
        var counters = new OriginCounters();
        using var stopping = new CancellationTokenSource();
        var accepting = AcceptLoopAsync(listener, options, recorder, counters, stopping.Token);
        await Task.WhenAny(shutdown.Stopped, accepting);
        await stopping.CancelAsync();
        if (accepting is { IsFaulted: true, Exception: { } failure })
        {
            // A backend that silently stops accepting would look like a proxy bug; say what happened instead.
            await Console.Error.WriteLineAsync($"accept loop failed: {failure.InnerException}");
            return 1;
        }

        // Connections still open are dropped with the process; that is what a test that stops us wants.
        return 0;
    }

    private static async Task AcceptLoopAsync(
        Socket listener, BackendOptions options, OriginRecorder recorder, OriginCounters counters, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
            {
                // The client gave up while queued; nothing to serve.
                continue;
            }

            connection.NoDelay = true;
            long number = counters.Accepted();
            _ = Task.Run(() => ServeAsync(connection, number, options, recorder, counters, stopping));
        }
    }

    private static async Task ServeAsync(
        Socket connection, long number, BackendOptions options, OriginRecorder recorder, OriginCounters counters,
        CancellationToken stopping)
    {
        try
        {
            await (options.Mode switch
            {
                BackendMode.Http => HttpScript.ServeAsync(connection, number, options.Name, recorder, counters, stopping),
                BackendMode.Name => NameScript.ServeAsync(connection, options.Name, stopping),
                BackendMode.Echo => EchoScript.ServeAsync(connection, stopping),
                BackendMode.Sha => ShaScript.ServeAsync(connection, stopping),
                BackendMode.Source => SourceScript.ServeAsync(connection, stopping),
                BackendMode.Reset => ResetScript.ServeAsync(connection, stopping),
                _ => throw new InvalidOperationException($"mode {options.Mode} has no script"),
            });
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Peers reset, tests abort and the process stops: all normal for a test backend.
        }
        finally
        {
            connection.Dispose();
        }
    }
}
