using System.Net;
using System.Net.Sockets;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A loopback port that was free a moment ago: bind port 0, read what the kernel chose, close. Another process
/// may take it before the proxy binds it; the window is tiny and a collision fails loudly (bind error), so the
/// race is accepted rather than worked around. Also serves as "a port where nothing listens".
/// <para>
/// A port is never handed out twice in one test process: the kernel may well return a port it just gave
/// (the probe socket is closed at once), and two frontends of one config on the same port would both bind
/// it (SO_REUSEPORT) and share its connections — a test would then see another frontend's answers.
/// </para>
/// </summary>
public static class FreePort
{
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            for (int attempt = 0; ; attempt++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                if (Given.Add(port) || attempt >= 100) return port;
            }
        }
    }
}
