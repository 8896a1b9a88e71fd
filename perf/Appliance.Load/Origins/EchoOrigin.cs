using System.Net;
using System.Net.Sockets;

namespace Appliance.Load.Origins;

/// <summary>In-process TCP echo origins: every byte back until the peer half-closes, then close.</summary>
internal sealed class EchoOrigin : IDisposable
{
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stopping = new();

    public IPEndPoint Add()
    {
        Socket socket = Acceptor.Listen(1024);
        lock (_listeners) _listeners.Add(socket);
        _ = Acceptor.Loop(socket, Echo, _stopping.Token);
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    private async Task Echo(Socket connection)
    {
        var buffer = new byte[256 * 1024];
        try
        {
            int n;
            while ((n = await connection.ReceiveAsync(buffer, _stopping.Token)) > 0)
            {
                await connection.SendAsync(buffer.AsMemory(0, n), _stopping.Token);
            }
            connection.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        lock (_listeners) foreach (Socket s in _listeners) s.Dispose();
    }
}
