using System.Net;
using System.Net.Sockets;

namespace Appliance.Logging;

/// <summary>
/// A syslog server over UDP, or a local syslog datagram socket (<c>/dev/log</c>). Non-blocking: a
/// datagram the kernel cannot take at once is lost rather than stalling the writer.
/// </summary>
internal sealed class DatagramLogSink : LogSink
{
    private readonly Socket _socket;
    private readonly EndPoint _target;

    private DatagramLogSink(Socket socket, EndPoint target)
    {
        _socket = socket;
        _target = target;
    }

    public static DatagramLogSink Udp(IPEndPoint endpoint) =>
        new(new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { Blocking = false }, endpoint);

    public static DatagramLogSink Unix(string path) =>
        new(new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false }, new UnixDomainSocketEndPoint(path));

    public override bool IsStream => false;

    public override bool Send(ReadOnlySpan<byte> message)
    {
        try
        {
            return _socket.SendTo(message, SocketFlags.None, _target) == message.Length;
        }
        catch (SocketException)
        {
            // EAGAIN, no listener on a Unix socket, unreachable network: this line is lost.
            return false;
        }
    }

    public override void Dispose() => _socket.Dispose();
}
