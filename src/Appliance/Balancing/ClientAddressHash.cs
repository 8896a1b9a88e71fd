using System.Buffers.Binary;
using System.Net;

namespace Appliance.Balancing;

/// <summary>
/// The client-address hash that <c>balance source</c> reduces modulo the total weight, computed as
/// HAProxy's map-based source hash: the address's 32-bit big-endian words XORed together. An IPv4
/// address hashes to its own numeric value, so neighbouring clients land on neighbouring table entries
/// exactly as they do under HAProxy. Compute it once per connection, on accept.
/// </summary>
public static class ClientAddressHash
{
    /// <summary>Hash of a raw address in network byte order (4 bytes for IPv4, 16 for IPv6).</summary>
    public static uint Compute(ReadOnlySpan<byte> address)
    {
        uint hash = 0;
        int offset = 0;
        for (; offset + 4 <= address.Length; offset += 4)
        {
            hash ^= BinaryPrimitives.ReadUInt32BigEndian(address.Slice(offset, 4));
        }
        return hash;
    }

    public static uint Compute(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written)) return 0;
        return Compute(bytes[..written]);
    }

    /// <summary>Hash of an IPv4 address held as in <c>sockaddr_in.sin_addr</c> (network order).</summary>
    public static uint ComputeIPv4(uint networkOrderAddress) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(networkOrderAddress) : networkOrderAddress;
}
