using System.Net;
using System.Net.Sockets;

namespace Appliance.Testing;

/// <summary>
/// Loopback ports for the listeners a test or perf process has a proxy bind. They are taken from below the
/// kernel's ephemeral range (<c>net.ipv4.ip_local_port_range</c>): a port chosen by binding port 0 and closing
/// at once can be handed by the kernel to the next port-0 bind — an origin started right after — and then the
/// proxy's bind fails, or worse, a client reaches the origin on the proxy's port and sees the wrong answers.
/// Ports below that range are never assigned by the kernel. A port is free (bindable) when handed out and is
/// never handed out twice by one instance; each instance starts at a random place so two processes rarely meet.
/// Linked into the integration tests and the perf tools; keep it dependency-free.
/// </summary>
public sealed class ListenPorts
{
    private const int Lowest = 10_000;
    private readonly HashSet<int> _handedOut = [];
    private readonly Lock _gate = new();
    private readonly int _first;
    private readonly int _count;
    private int _next;

    public ListenPorts()
    {
        int ephemeralLow = EphemeralRangeStart();
        _first = Lowest;
        _count = Math.Max(0, ephemeralLow - Lowest);
        _next = _count > 0 ? Random.Shared.Next(_count) : 0;
    }

    /// <summary>A loopback port that nothing listens on now, outside the kernel's ephemeral range when it has room below.</summary>
    public int Next()
    {
        lock (_gate)
        {
            for (int tried = 0; tried < _count; tried++)
            {
                int port = _first + (_next++ % _count);
                if (!_handedOut.Contains(port) && CanBind(port))
                {
                    _handedOut.Add(port);
                    return port;
                }
            }
            // No room below the ephemeral range (an unusual sysctl): let the kernel choose, as a last resort.
            for (int attempt = 0; ; attempt++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
                if (_handedOut.Add(port) || attempt >= 100) return port;
            }
        }
    }

    private static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The first port the kernel assigns on its own (32768 when the sysctl cannot be read).</summary>
    private static int EphemeralRangeStart()
    {
        try
        {
            string[] range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            return int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32_768;
        }
    }
}
