using Appliance.Config.Model;
using Appliance.Native;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Forwarding.ProxyProtocol;

/// <summary>Starts a fresh server connection with the PROXY protocol header of the client connection it serves.</summary>
internal static class ProxyHeaderSender
{
    /// <summary>
    /// Sends the header naming <paramref name="peer"/> (the client's sockaddr) and the address the client
    /// reached (the local side of <paramref name="clientFd"/>) on <paramref name="serverFd"/>, just connected.
    /// False when it could not be sent whole.
    /// </summary>
    public static bool TrySend(ProxyProtocolVersion version, ReadOnlySpan<byte> peer, int clientFd, int serverFd)
    {
        Span<byte> local = stackalloc byte[SocketAddress.MaxLength];
        if (TcpSocket.LocalAddress(clientFd, local) <= 0) return false;
        Span<byte> header = stackalloc byte[ProxyHeaderWriter.MaxLength];
        int length = ProxyHeaderWriter.Write(version, peer, local, header);
        // A connection that has sent nothing has an empty send buffer: the header always fits at once.
        return TcpSocket.SendBytes(serverFd, header[..length]) == length;
    }
}
