using System.Buffers.Binary;
using System.Net;
using Appliance.Config.Model;
using Appliance.Native;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Forwarding.ProxyProtocol;

/// <summary>
/// Writes the PROXY protocol header a server connection starts with (<c>server … send-proxy</c> or
/// <c>send-proxy-v2</c>): the client's address and port, then the address and port it connected to. When
/// one side is IPv4 and the other IPv6, the IPv4 one is written IPv4-mapped, so both are TCP6. Health checks,
/// which have no client, send v1 <c>UNKNOWN</c> or v2 <c>LOCAL</c>, as HAProxy does.
/// </summary>
internal static class ProxyHeaderWriter
{
    /// <summary>Room enough for either version's header (v1 is at most 107 bytes, v2 with IPv6 52).</summary>
    public const int MaxLength = 108;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>The header for a client connection from <paramref name="source"/> to <paramref name="destination"/> (sockaddrs); returns its length.</summary>
    public static int Write(ProxyProtocolVersion version, ReadOnlySpan<byte> source, ReadOnlySpan<byte> destination, Span<byte> output)
    {
        bool v6 = SocketAddress.Family(source) == LinuxConstants.AF_INET6 || SocketAddress.Family(destination) == LinuxConstants.AF_INET6;
        Span<byte> sourceIp = stackalloc byte[16];
        Span<byte> destinationIp = stackalloc byte[16];
        int ipLength = Ip(source, v6, sourceIp);
        Ip(destination, v6, destinationIp);
        int sourcePort = SocketAddress.Port(source), destinationPort = SocketAddress.Port(destination);
        if (version == ProxyProtocolVersion.V2)
        {
            V2Signature.CopyTo(output);
            output[12] = 0x21; // version 2, PROXY
            output[13] = v6 ? (byte)0x21 : (byte)0x11; // TCP over IPv6 / IPv4
            BinaryPrimitives.WriteUInt16BigEndian(output[14..], (ushort)(2 * ipLength + 4));
            int at = 16;
            sourceIp[..ipLength].CopyTo(output[at..]);
            destinationIp[..ipLength].CopyTo(output[(at += ipLength)..]);
            BinaryPrimitives.WriteUInt16BigEndian(output[(at += ipLength)..], (ushort)sourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(output[(at += 2)..], (ushort)destinationPort);
            return at + 2;
        }
        // v1 formats the addresses with IPAddress (a small allocation per server connection, not per request).
        int position = (v6 ? "PROXY TCP6 "u8 : "PROXY TCP4 "u8).Length;
        (v6 ? "PROXY TCP6 "u8 : "PROXY TCP4 "u8).CopyTo(output);
        new IPAddress(sourceIp[..ipLength]).TryFormat(output[position..], out int written);
        output[position += written] = (byte)' ';
        new IPAddress(destinationIp[..ipLength]).TryFormat(output[++position..], out written);
        output[position += written] = (byte)' ';
        sourcePort.TryFormat(output[++position..], out written, provider: System.Globalization.CultureInfo.InvariantCulture);
        output[position += written] = (byte)' ';
        destinationPort.TryFormat(output[++position..], out written, provider: System.Globalization.CultureInfo.InvariantCulture);
        position += written;
        "\r\n"u8.CopyTo(output[position..]);
        return position + 2;
    }

    private static readonly byte[] CheckV1 = "PROXY UNKNOWN\r\n"u8.ToArray();
    private static readonly byte[] CheckV2 = [.. V2Signature, 0x20, 0x00, 0x00, 0x00];

    /// <summary>A health check's header: no client to name (built once; callers only read it).</summary>
    public static byte[] ForCheck(ProxyProtocolVersion version) => version == ProxyProtocolVersion.V2 ? CheckV2 : CheckV1;

    private static int Ip(ReadOnlySpan<byte> address, bool v6, Span<byte> ip)
    {
        ReadOnlySpan<byte> bytes = SocketAddress.IpBytes(address);
        if (!v6 || bytes.Length == 16)
        {
            bytes.CopyTo(ip);
            return bytes.Length;
        }
        // IPv4-mapped IPv6: ::ffff:a.b.c.d.
        ip[..10].Clear();
        ip[10] = ip[11] = 0xFF;
        bytes.CopyTo(ip[12..]);
        return 16;
    }
}
