using System.Buffers.Binary;
using System.Net;
using Appliance.Native;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Forwarding.ProxyProtocol;

/// <summary>
/// Reads the PROXY protocol header a load balancer in front sends before the client's bytes
/// (<c>bind … accept-proxy</c>; haproxy.org's proxy-protocol.txt): version 1, one text line of at most
/// 107 bytes, and version 2, a 16-byte binary prefix and its address block (TLVs are skipped). Strict:
/// anything else is invalid, and the connection must be closed without reading on.
/// </summary>
internal static class ProxyHeaderParser
{
    /// <summary>Version 1's longest line, CRLF included.</summary>
    public const int MaxV1Length = 107;

    /// <summary>The longest version 2 header read (16 bytes, then addresses and TLVs); longer ones are refused.</summary>
    public const int MaxV2Length = 2048;

    private static ReadOnlySpan<byte> V1Prefix => "PROXY "u8;

    private static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>Parses the header at the start of <paramref name="data"/>; the source goes to <paramref name="source"/> (sockaddr, <see cref="SocketAddress.MaxLength"/> bytes).</summary>
    public static ProxyHeaderResult Parse(ReadOnlySpan<byte> data, Span<byte> source)
    {
        if (data.IsEmpty) return ProxyHeaderResult.Incomplete;
        if (data[0] == V1Prefix[0]) return ParseV1(data, source);
        if (data[0] == V2Signature[0]) return ParseV2(data, source);
        return ProxyHeaderResult.Invalid("not a PROXY protocol header");
    }

    private static ProxyHeaderResult ParseV1(ReadOnlySpan<byte> data, Span<byte> source)
    {
        int prefix = Math.Min(data.Length, V1Prefix.Length);
        if (!data[..prefix].SequenceEqual(V1Prefix[..prefix])) return ProxyHeaderResult.Invalid("not a PROXY protocol header");
        int end = data[..Math.Min(data.Length, MaxV1Length)].IndexOf("\r\n"u8);
        if (end < 0) return data.Length >= MaxV1Length ? ProxyHeaderResult.Invalid("PROXY v1 line longer than 107 bytes") : ProxyHeaderResult.Incomplete;
        int length = end + 2;
        ReadOnlySpan<byte> line = data[V1Prefix.Length..end];
        if (line.StartsWith("UNKNOWN"u8)) return new ProxyHeaderResult(ProxyHeaderStatus.Complete, length, false, null);

        // "TCP4|TCP6 SRC DST SRCPORT DSTPORT", single spaces.
        Span<Range> fields = stackalloc Range[5];
        if (!TrySplitFields(line, fields)) return ProxyHeaderResult.Invalid("PROXY v1 line needs 5 fields after PROXY, one space apart");
        ReadOnlySpan<byte> protocol = line[fields[0]];
        bool v6 = protocol.SequenceEqual("TCP6"u8);
        if (!v6 && !protocol.SequenceEqual("TCP4"u8)) return ProxyHeaderResult.Invalid("PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN");
        if (!TryParseAddress(line[fields[1]], v6, out IPAddress? address) || !TryParseAddress(line[fields[2]], v6, out _))
        {
            return ProxyHeaderResult.Invalid($"PROXY v1 addresses are not {(v6 ? "IPv6" : "IPv4")}");
        }
        if (!TryParsePort(line[fields[3]], out int port) || !TryParsePort(line[fields[4]], out _)) return ProxyHeaderResult.Invalid("PROXY v1 ports must be 0..65535");
        Span<byte> ip = stackalloc byte[16];
        address!.TryWriteBytes(ip, out int ipLength);
        WriteSource(source, v6 ? LinuxConstants.AF_INET6 : LinuxConstants.AF_INET, ip[..ipLength], port);
        return new ProxyHeaderResult(ProxyHeaderStatus.Complete, length, true, null);
    }

    private static ProxyHeaderResult ParseV2(ReadOnlySpan<byte> data, Span<byte> source)
    {
        int prefix = Math.Min(data.Length, V2Signature.Length);
        if (!data[..prefix].SequenceEqual(V2Signature[..prefix])) return ProxyHeaderResult.Invalid("not a PROXY protocol header");
        if (data.Length < 16) return ProxyHeaderResult.Incomplete;
        byte versionCommand = data[12];
        if (versionCommand >> 4 != 2) return ProxyHeaderResult.Invalid("PROXY v2 version must be 2");
        int command = versionCommand & 0x0F;
        if (command > 1) return ProxyHeaderResult.Invalid("PROXY v2 command must be LOCAL or PROXY");
        int length = 16 + BinaryPrimitives.ReadUInt16BigEndian(data[14..]);
        if (length > MaxV2Length) return ProxyHeaderResult.Invalid($"PROXY v2 header longer than {MaxV2Length} bytes");
        if (data.Length < length) return ProxyHeaderResult.Incomplete;
        if (command == 0) return new ProxyHeaderResult(ProxyHeaderStatus.Complete, length, false, null);

        ReadOnlySpan<byte> block = data[16..length];
        switch (data[13])
        {
            case 0x11: // TCP over IPv4: source, destination, source port, destination port.
                if (block.Length < 12) return ProxyHeaderResult.Invalid("PROXY v2 IPv4 address block shorter than 12 bytes");
                WriteSource(source, LinuxConstants.AF_INET, block[..4], BinaryPrimitives.ReadUInt16BigEndian(block[8..]));
                return new ProxyHeaderResult(ProxyHeaderStatus.Complete, length, true, null);
            case 0x21: // TCP over IPv6.
                if (block.Length < 36) return ProxyHeaderResult.Invalid("PROXY v2 IPv6 address block shorter than 36 bytes");
                WriteSource(source, LinuxConstants.AF_INET6, block[..16], BinaryPrimitives.ReadUInt16BigEndian(block[32..]));
                return new ProxyHeaderResult(ProxyHeaderStatus.Complete, length, true, null);
            default:
                // UNSPEC, UDP or Unix sockets: the connection's own peer stays the client.
                return new ProxyHeaderResult(ProxyHeaderStatus.Complete, length, false, null);
        }
    }

    /// <summary>Exactly <paramref name="fields"/>.Length non-empty fields separated by single spaces.</summary>
    private static bool TrySplitFields(ReadOnlySpan<byte> line, Span<Range> fields)
    {
        int start = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            int space = line[start..].IndexOf((byte)' ');
            int end = i == fields.Length - 1 ? line.Length : (space < 0 ? -1 : start + space);
            if (end <= start || (i == fields.Length - 1 && space >= 0)) return false;
            fields[i] = start..end;
            start = end + 1;
        }
        return true;
    }

    private static void WriteSource(Span<byte> source, int family, ReadOnlySpan<byte> ip, int port)
    {
        source[..SocketAddress.MaxLength].Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(source, (ushort)family);
        BinaryPrimitives.WriteUInt16BigEndian(source[2..], (ushort)port);
        ip.CopyTo(source[(family == LinuxConstants.AF_INET ? 4 : 8)..]);
    }

    private static bool TryParseAddress(ReadOnlySpan<byte> text, bool v6, out IPAddress? address)
    {
        address = null;
        if (text.IsEmpty || text.Length > 45) return false;
        Span<char> chars = stackalloc char[text.Length];
        for (int i = 0; i < text.Length; i++) chars[i] = (char)text[i];
        // IPAddress accepts forms the protocol does not (IPv4 shorthand such as "1"): v4 must be dotted quad.
        if (!v6 && (chars.Count('.') != 3 || chars.ContainsAnyExcept("0123456789."))) return false;
        if (v6 && !chars.Contains(':')) return false;
        return IPAddress.TryParse(chars, out address)
               && address.AddressFamily == (v6 ? System.Net.Sockets.AddressFamily.InterNetworkV6 : System.Net.Sockets.AddressFamily.InterNetwork);
    }

    private static bool TryParsePort(ReadOnlySpan<byte> text, out int port)
    {
        port = 0;
        if (text.IsEmpty || text.Length > 5) return false;
        foreach (byte b in text)
        {
            if ((uint)(b - '0') > 9) return false;
            port = port * 10 + (b - '0');
        }
        return port <= 65535;
    }
}
