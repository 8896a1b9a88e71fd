using System.Net.Sockets;

namespace Appliance.TestBackend;

/// <summary>
/// <c>reset</c> mode: read <c>&lt;N&gt;\n</c>, send N bytes of the deterministic stream, then abort with a TCP RST
/// (SO_LINGER 0). Deterministic "server reset mid-stream" without killing a process; bytes still queued in our
/// send buffer are discarded by the kernel, so the peer may receive fewer than N.
/// </summary>
internal static class ResetScript
{
    public static async Task ServeAsync(Socket connection, CancellationToken cancel)
    {
        if (await connection.ReadLengthRequestAsync(cancel) is not { } count)
        {
            return;
        }

        await connection.SendDeterministicStreamAsync(count, cancel);
        connection.LingerState = new LingerOption(enable: true, seconds: 0);
        connection.Close();
    }
}
