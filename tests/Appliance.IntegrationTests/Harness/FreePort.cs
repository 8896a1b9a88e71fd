using System.Net;
using System.Net.Sockets;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A loopback port that was free a moment ago: bind port 0, read what the kernel chose, close. Another process
/// may take it before the proxy binds it; the window is tiny and a collision fails loudly (bind error), so the
/// race is accepted rather than worked around. Also serves as "a port where nothing listens".
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
