using System.Net.Sockets;
using System.Text;
using Appliance.Testing;

namespace Appliance.TestBackend;

/// <summary>Socket operations the connection scripts share.</summary>
internal static class SocketTransfers
{
    /// <summary>
    /// Per-connection buffer for bulk modes. 256 KiB keeps the syscall count per MiB low enough that a 100 MiB
    /// loopback transfer is limited by the proxy under test, not by this backend.
    /// </summary>
    public const int BulkBufferBytes = 256 * 1024;

    // "<N>\n" with N a long fits easily; anything longer is a broken client.
    private const int MaxRequestLineBytes = 64;

    public static async Task SendAllAsync(this Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancel)
    {
        while (!bytes.IsEmpty)
        {
            int sent = await socket.SendAsync(bytes, SocketFlags.None, cancel);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Reads and drops bytes until the peer half-closes (EOF).</summary>
    public static async Task DiscardUntilEndAsync(this Socket socket, CancellationToken cancel)
    {
        var sink = new byte[4096];
        while (await socket.ReceiveAsync(sink, SocketFlags.None, cancel) > 0)
        {
        }
    }

    /// <summary>
    /// Reads the <c>&lt;N&gt;\n</c> request of the source and reset modes one byte at a time, so no byte after the
    /// newline is consumed. Returns null when the peer closes first or the line is malformed.
    /// </summary>
    public static async Task<long?> ReadLengthRequestAsync(this Socket socket, CancellationToken cancel)
    {
        var line = new byte[MaxRequestLineBytes];
        for (int length = 0; length < line.Length; length++)
        {
            if (await socket.ReceiveAsync(line.AsMemory(length, 1), SocketFlags.None, cancel) == 0)
            {
                return null;
            }

            if (line[length] == (byte)'\n')
            {
                var text = Encoding.ASCII.GetString(line, 0, length).TrimEnd('\r');
                return long.TryParse(text, out var n) && n >= 0 ? n : null;
            }
        }

        return null;
    }

    /// <summary>Sends the first <paramref name="count"/> bytes of the default deterministic stream.</summary>
    public static async Task SendDeterministicStreamAsync(this Socket socket, long count, CancellationToken cancel)
    {
        var stream = new DeterministicByteStream();
        var buffer = new byte[(int)Math.Clamp(count, 1, BulkBufferBytes)];
        for (long remaining = count; remaining > 0;)
        {
            int take = (int)Math.Min(buffer.Length, remaining);
            stream.Fill(buffer.AsSpan(0, take));
            await socket.SendAllAsync(buffer.AsMemory(0, take), cancel);
            remaining -= take;
        }
    }
}
