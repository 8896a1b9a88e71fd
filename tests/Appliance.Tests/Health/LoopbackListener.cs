using System.Net;
using System.Net.Sockets;

namespace Appliance.Tests.Health;

/// <summary>A TCP listener on 127.0.0.1 (ephemeral port) that accepts and drops connections; can be closed and reopened on the same port.</summary>
internal sealed class LoopbackListener : IDisposable
{
    private Socket? _socket;

    public LoopbackListener(int port = 0) => Open(port);

    public IPEndPoint EndPoint { get; private set; } = null!;

    public void Open(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        socket.Listen(64);
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _socket = socket;
        _ = AcceptLoopAsync(socket);
    }

    public void Reopen() => Open(EndPoint.Port);

    public void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    public void Dispose() => Close();

    private static async Task AcceptLoopAsync(Socket listener)
    {
        try
        {
            while (true)
            {
                using var accepted = await listener.AcceptAsync();
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // closed
        }
    }
}
