using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.Tests.Engine;

/// <summary>An in-process loopback TCP server with a per-connection behaviour, for engine tests.</summary>
internal sealed class LoopbackServer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();

    private LoopbackServer(Func<Socket, CancellationToken, Task> serve)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _ = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try { client = await _listener.AcceptAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try { await serve(client, _stop.Token); }
                        catch (Exception e) when (e is SocketException or OperationCanceledException) { }
                    }
                });
            }
        });
    }

    public int Port { get; }

    /// <summary>Echoes until EOF, then closes.</summary>
    public static LoopbackServer Echo() => new(async (socket, token) =>
    {
        var buffer = new byte[65536];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, token)) > 0) await socket.SendAsync(buffer.AsMemory(0, n), token);
        socket.Shutdown(SocketShutdown.Send);
    });

    /// <summary>Reads to EOF, answers "COUNT SHA256HEX\n", closes.</summary>
    public static LoopbackServer Sha256Sink() => new(async (socket, token) =>
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[65536];
        long total = 0;
        int n;
        while ((n = await socket.ReceiveAsync(buffer, token)) > 0)
        {
            hash.AppendData(buffer, 0, n);
            total += n;
        }
        await socket.SendAsync(Encoding.ASCII.GetBytes($"{total} {Convert.ToHexStringLower(hash.GetHashAndReset())}\n"), token);
        socket.Shutdown(SocketShutdown.Send);
    });

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }
}
