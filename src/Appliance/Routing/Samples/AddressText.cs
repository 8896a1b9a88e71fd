using System.Buffers.Binary;

namespace Appliance.Routing.Samples;

/// <summary>
/// An address as text without creating an <see cref="System.Net.IPAddress"/> (the data path must not
/// allocate): dotted decimal for IPv4 and for IPv4-mapped IPv6 (as <c>option forwardfor</c> writes
/// them), RFC 5952 text for IPv6 (lower case, longest run of two or more zero groups as "::").
/// </summary>
internal static class AddressText
{
    /// <summary>Longest text: a full IPv6 address.</summary>
    public const int MaxLength = 39;

    /// <summary>Writes <paramref name="address"/> (4 or 16 bytes) to <paramref name="destination"/>; returns the length, 0 when empty or invalid.</summary>
    public static int Format(ReadOnlySpan<byte> address, Span<byte> destination)
    {
        if (address.Length == 16 && IsV4Mapped(address)) address = address[12..];
        if (address.Length == 4) return FormatV4(address, destination);
        if (address.Length != 16 || destination.Length < MaxLength) return 0;

        Span<ushort> groups = stackalloc ushort[8];
        for (int i = 0; i < 8; i++) groups[i] = BinaryPrimitives.ReadUInt16BigEndian(address[(i * 2)..]);
        // RFC 5952 §4.2: compress the longest run of zero groups (the first on a tie), never a single one.
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) i++;
            if (i - start > bestLength)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }
        int position = 0;
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                // "::" stands for the run and the separators around it.
                destination[position++] = (byte)':';
                destination[position++] = (byte)':';
                i += bestLength - 1;
                continue;
            }
            if (position > 0 && destination[position - 1] != ':') destination[position++] = (byte)':';
            position += WriteHex(groups[i], destination[position..]);
        }
        return position;
    }

    private static bool IsV4Mapped(ReadOnlySpan<byte> address) =>
        address[..10].IndexOfAnyExcept((byte)0) < 0 && address[10] == 0xff && address[11] == 0xff;

    private static int FormatV4(ReadOnlySpan<byte> address, Span<byte> destination)
    {
        if (destination.Length < 15) return 0;
        int position = 0;
        for (int i = 0; i < 4; i++)
        {
            if (i > 0) destination[position++] = (byte)'.';
            address[i].TryFormat(destination[position..], out int written, default, System.Globalization.CultureInfo.InvariantCulture);
            position += written;
        }
        return position;
    }

    private static int WriteHex(ushort value, Span<byte> destination)
    {
        value.TryFormat(destination, out int written, "x", System.Globalization.CultureInfo.InvariantCulture);
        return written;
    }
}
