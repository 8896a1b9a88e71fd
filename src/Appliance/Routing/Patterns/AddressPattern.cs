using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Routing.Patterns;

/// <summary>
/// An IPv4 or IPv6 address pattern with its mask (a CIDR prefix, or for IPv4 also a dotted mask).
/// Mixed families follow HAProxy's pattern matcher: an IPv4 client is compared with IPv6 patterns as
/// <c>::ffff:a.b.c.d</c>, and an IPv6 client matches IPv4 patterns only when it is an IPv4-mapped
/// address (<c>::ffff:a.b.c.d</c>) — the same mapping both ways (HAProxy's <c>v4tov6</c>/<c>v6tov4</c>).
/// </summary>
internal sealed class AddressPattern
{
    private static ReadOnlySpan<byte> MappedPrefix => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

    private readonly byte[] _address;
    private readonly byte[] _mask;

    private AddressPattern(byte[] address, byte[] mask)
    {
        _mask = mask;
        _address = new byte[address.Length];
        for (int i = 0; i < address.Length; i++) _address[i] = (byte)(address[i] & mask[i]);
    }

    public bool IsIPv4 => _address.Length == 4;

    /// <summary>Does the client address (4 or 16 bytes) fall inside this network? Allocation-free.</summary>
    public bool Matches(ReadOnlySpan<byte> client)
    {
        if (client.Length == _address.Length) return MaskedEqual(client);
        if (client.Length == 4 && _address.Length == 16)
        {
            Span<byte> mapped = stackalloc byte[16];
            MappedPrefix.CopyTo(mapped);
            client.CopyTo(mapped[12..]);
            return MaskedEqual(mapped);
        }
        if (client.Length == 16 && _address.Length == 4 && client[..12].SequenceEqual(MappedPrefix))
        {
            return MaskedEqual(client[12..]);
        }
        return false;
    }

    private bool MaskedEqual(ReadOnlySpan<byte> client)
    {
        for (int i = 0; i < _address.Length; i++)
        {
            if ((client[i] & _mask[i]) != _address[i]) return false;
        }
        return true;
    }

    /// <summary>
    /// Parses <c>ADDR[/MASK]</c>. IPv4 accepts HAProxy's abbreviated forms (<c>127.1</c> = 127.0.0.1,
    /// the last part filling the remaining bytes) and a prefix length or a dotted mask; IPv6 accepts a
    /// prefix length only. Host names are refused: routing must not depend on DNS at load time.
    /// </summary>
    public static AddressPattern? TryParse(string text, out string? error)
    {
        error = $"'{text}' is not a valid IPv4 or IPv6 address";
        int slash = text.IndexOf('/');
        string address = slash < 0 ? text : text[..slash];
        string? mask = slash < 0 ? null : text[(slash + 1)..];
        if (address.Contains(':'))
        {
            if (address.Contains('%') || !IPAddress.TryParse(address, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                return null;
            int bits = 128;
            if (mask is not null && !TryPrefix(mask, 128, out bits)) return null;
            error = null;
            return new AddressPattern(v6.GetAddressBytes(), PrefixMask(bits, 16));
        }
        if (!TryParseIPv4(address, out uint value)) return null;
        byte[] maskBytes;
        if (mask is null)
        {
            maskBytes = PrefixMask(32, 4);
        }
        else if (mask.Contains('.'))
        {
            if (!TryParseDottedQuad(mask, out uint dotted)) return null;
            maskBytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(maskBytes, dotted);
        }
        else
        {
            if (!TryPrefix(mask, 32, out int bits)) return null;
            maskBytes = PrefixMask(bits, 4);
        }
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        error = null;
        return new AddressPattern(bytes, maskBytes);
    }

    private static bool TryPrefix(string text, int max, out int bits) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out bits) && bits <= max;

    private static byte[] PrefixMask(int bits, int length)
    {
        byte[] mask = new byte[length];
        for (int i = 0; i < length; i++)
        {
            int remaining = bits - i * 8;
            mask[i] = remaining >= 8 ? (byte)0xff : remaining <= 0 ? (byte)0 : (byte)(0xff << (8 - remaining));
        }
        return mask;
    }

    /// <summary>inet_aton's decimal forms: a.b.c.d, a.b.c (c: 16 bits), a.b (b: 24 bits), a (32 bits).</summary>
    private static bool TryParseIPv4(string text, out uint value)
    {
        value = 0;
        string[] parts = text.Split('.');
        if (parts.Length is < 1 or > 4) return false;
        var numbers = new uint[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return false;
        }
        for (int i = 0; i < parts.Length - 1; i++)
        {
            if (numbers[i] > 255) return false;
            value |= numbers[i] << (24 - 8 * i);
        }
        int lastBits = 8 * (5 - parts.Length);
        uint last = numbers[^1];
        if (lastBits < 32 && last >= 1u << lastBits) return false;
        value |= last;
        return true;
    }

    private static bool TryParseDottedQuad(string text, out uint value)
    {
        value = 0;
        return text.Split('.').Length == 4 && TryParseIPv4(text, out value);
    }
}
