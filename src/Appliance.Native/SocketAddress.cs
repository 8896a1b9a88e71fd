using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Native;

/// <summary>
/// Encodes and decodes <c>sockaddr_in</c>/<c>sockaddr_in6</c> in caller-provided memory so the data path
/// never allocates. <see cref="MaxLength"/> bytes (sockaddr_storage) always suffice.
/// </summary>
public static class SocketAddress
{
    public const int MaxLength = 128;
    public const int InetLength = 16;
    public const int Inet6Length = 28;

    /// <summary>Writes <paramref name="endPoint"/> into <paramref name="destination"/>; returns the length.</summary>
    public static int Write(IPEndPoint endPoint, Span<byte> destination)
    {
        destination.Slice(0, MaxLength).Clear();
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, LinuxConstants.AF_INET);
            BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)endPoint.Port);
            endPoint.Address.TryWriteBytes(destination.Slice(4, 4), out _);
            return InetLength;
        }
        BinaryPrimitives.WriteUInt16LittleEndian(destination, LinuxConstants.AF_INET6);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), (ushort)endPoint.Port);
        endPoint.Address.TryWriteBytes(destination.Slice(8, 16), out _);
        BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(24), (uint)endPoint.Address.ScopeId);
        return Inet6Length;
    }

    /// <summary>The address family of an encoded address.</summary>
    public static int Family(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16LittleEndian(address);

    /// <summary>Port of an encoded address (host order).</summary>
    public static int Port(ReadOnlySpan<byte> address) => BinaryPrimitives.ReadUInt16BigEndian(address.Slice(2));

    /// <summary>The raw IP bytes of an encoded address, in network order (4 or 16 bytes).</summary>
    public static ReadOnlySpan<byte> IpBytes(ReadOnlySpan<byte> address) =>
        Family(address) == LinuxConstants.AF_INET ? address.Slice(4, 4) : address.Slice(8, 16);

    /// <summary>Decodes an address (allocates: for logs and the control plane, not the data path).</summary>
    public static IPEndPoint ToEndPoint(ReadOnlySpan<byte> address)
    {
        int port = Port(address);
        if (Family(address) == LinuxConstants.AF_INET)
        {
            return new IPEndPoint(new IPAddress(address.Slice(4, 4)), port);
        }
        uint scope = BinaryPrimitives.ReadUInt32LittleEndian(address.Slice(24));
        return new IPEndPoint(new IPAddress(address.Slice(8, 16), scope), port);
    }
}
