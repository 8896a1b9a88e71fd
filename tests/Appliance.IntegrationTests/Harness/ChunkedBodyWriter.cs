using System.Globalization;
using System.Text;

namespace Appliance.IntegrationTests.Harness;

/// <summary>Client-side chunked transfer coding (RFC 9112 section 7.1) of the deterministic stream or of given bytes.</summary>
public static class ChunkedBodyWriter
{
    /// <summary>
    /// Chunk sizes a client cycles through: 1 byte, odd sizes, one around a proxy buffer, and larger than one, so a
    /// proxy that re-frames or copies chunks meets every boundary case in one body.
    /// </summary>
    public static readonly IReadOnlyList<int> VaryingChunkSizes = [1, 7, 1000, 16 * 1024, 16 * 1024 + 1, 100_000, 3, 256 * 1024];

    /// <summary>Sends the first <paramref name="count"/> bytes of the deterministic stream chunked, then the last chunk.</summary>
    public static void SendDeterministicStream(LoopbackConnection connection, long count, IReadOnlyList<int>? chunkSizes = null)
    {
        var sizes = chunkSizes ?? VaryingChunkSizes;
        var stream = new DeterministicByteStream();
        var buffer = new byte[sizes.Max()];
        int next = 0;
        for (long remaining = count; remaining > 0;)
        {
            int size = (int)Math.Min(sizes[next++ % sizes.Count], remaining);
            stream.Fill(buffer.AsSpan(0, size));
            connection.Send(Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            connection.Send(buffer.AsSpan(0, size));
            connection.Send("\r\n"u8);
            remaining -= size;
        }

        connection.Send("0\r\n\r\n"u8);
    }

    /// <summary><paramref name="body"/> chunked with the given sizes (cycled), last chunk included.</summary>
    public static string Encode(string body, params int[] chunkSizes)
    {
        var text = new StringBuilder();
        int next = 0;
        for (int offset = 0; offset < body.Length;)
        {
            int size = Math.Min(chunkSizes[next++ % chunkSizes.Length], body.Length - offset);
            text.Append(size.ToString("x", CultureInfo.InvariantCulture)).Append("\r\n").Append(body, offset, size).Append("\r\n");
            offset += size;
        }

        return text.Append("0\r\n\r\n").ToString();
    }
}
