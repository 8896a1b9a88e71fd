using System.Buffers.Binary;
using System.Net.Sockets;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Records the TCP segments (IPv4) that touch the watched ports, through a packet socket (needs root, as the
/// suite runs in CI). A packet socket sees a loopback segment twice (sent and received): duplicates are
/// dropped by their header fields. For tests of packet-level behaviour (which ACKs the kernel sends).
/// </summary>
public sealed class LoopbackCapture : IDisposable
{
    private const int EthernetHeader = 14;
    private const ushort EtherTypeIPv4 = 0x0800;

    private readonly Socket _socket;
    private readonly HashSet<int> _ports;
    private readonly List<TcpSegment> _segments = new();
    private readonly HashSet<(int, int, uint, uint, byte, int)> _seen = new();
    private readonly Thread _reader;
    private volatile bool _stopped;

    public LoopbackCapture(params int[] ports)
    {
        _ports = [.. ports];
        // ETH_P_ALL in network byte order.
        _socket = new Socket(AddressFamily.Packet, SocketType.Raw, (ProtocolType)0x0300) { ReceiveTimeout = 100 };
        _reader = new Thread(Read) { IsBackground = true, Name = "loopback capture" };
        _reader.Start();
    }

    /// <summary>The segments so far, in capture order.</summary>
    public IReadOnlyList<TcpSegment> Segments()
    {
        lock (_segments) return _segments.ToArray();
    }

    private void Read()
    {
        var buffer = new byte[65536];
        while (!_stopped)
        {
            int n;
            try
            {
                n = _socket.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            if (TryParse(buffer.AsSpan(0, n), out TcpSegment segment) && (_ports.Contains(segment.SourcePort) || _ports.Contains(segment.DestinationPort)))
            {
                lock (_segments)
                {
                    if (_seen.Add((segment.SourcePort, segment.DestinationPort, segment.Sequence, segment.Acknowledgement, segment.Flags, segment.PayloadLength)))
                    {
                        _segments.Add(segment);
                    }
                }
            }
        }
    }

    private static bool TryParse(ReadOnlySpan<byte> frame, out TcpSegment segment)
    {
        segment = default;
        if (frame.Length < EthernetHeader + 20 || BinaryPrimitives.ReadUInt16BigEndian(frame[12..]) != EtherTypeIPv4) return false;
        ReadOnlySpan<byte> ip = frame[EthernetHeader..];
        int ipHeader = (ip[0] & 0x0f) * 4;
        if (ip[0] >> 4 != 4 || ip[9] != 6 || ip.Length < ipHeader + 20) return false;
        int total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        ReadOnlySpan<byte> tcp = ip[ipHeader..];
        int tcpHeader = (tcp[12] >> 4) * 4;
        segment = new TcpSegment(
            BinaryPrimitives.ReadUInt16BigEndian(tcp),
            BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]),
            tcp[13],
            total - ipHeader - tcpHeader);
        return true;
    }

    public void Dispose()
    {
        _stopped = true;
        _reader.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }
}
