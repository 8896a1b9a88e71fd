using System.Net.Sockets;

namespace Appliance.TestBackend;

/// <summary><c>source</c> mode: read <c>&lt;N&gt;\n</c>, send N bytes of the deterministic stream, close.</summary>
internal static class SourceScript
{
    public static async Task ServeAsync(Socket connection, CancellationToken cancel)
    {
        if (await connection.ReadLengthRequestAsync(cancel) is not { } count)
        {
            return;
        }

        await connection.SendDeterministicStreamAsync(count, cancel);
        connection.Shutdown(SocketShutdown.Send);
        // Wait for the peer's close before closing: closing with unread input would turn our FIN into a RST and
        // could destroy the tail of the stream still in flight.
        await connection.DiscardUntilEndAsync(cancel);
    }
}
