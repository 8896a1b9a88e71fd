using System.Net.Sockets;

namespace Appliance.TestBackend;

/// <summary><c>echo</c> mode: send back every byte until the peer half-closes, then close our side too.</summary>
internal static class EchoScript
{
    public static async Task ServeAsync(Socket connection, CancellationToken cancel)
    {
        var buffer = new byte[SocketTransfers.BulkBufferBytes];
        int received;
        while ((received = await connection.ReceiveAsync(buffer, SocketFlags.None, cancel)) > 0)
        {
            await connection.SendAllAsync(buffer.AsMemory(0, received), cancel);
        }

        connection.Shutdown(SocketShutdown.Send);
    }
}
