using System.Net.Sockets;
using System.Text;

namespace Appliance.Perf;

/// <summary>
/// The little HTTP/1.1 a load client needs: read a response head into a caller's buffer and pick its
/// status, Content-Length and fields. Allocation-free; the body is left to the caller (who discards,
/// compares or hashes it). Linked into CompareRunner and Appliance.Load (perf/Shared).
/// </summary>
internal static class HttpWire
{
    /// <summary>
    /// Receives until the head's blank line. Returns the head length including the blank line; 0 when the
    /// peer closed before sending any byte (a reused keep-alive connection closed under us), -1 when it
    /// closed inside the head or the head does not fit the buffer. <paramref name="filled"/> counts all
    /// bytes received, the first body bytes included.
    /// </summary>
    public static int ReadHead(Socket socket, byte[] buffer, out int filled)
    {
        filled = 0;
        while (true)
        {
            int end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0) return end + 4;
            if (filled == buffer.Length) return -1;
            int n = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
            if (n == 0) return filled == 0 ? 0 : -1;
            filled += n;
        }
    }

    /// <summary>The status code of <c>HTTP/1.x NNN ...</c>, or -1.</summary>
    public static int Status(ReadOnlySpan<byte> head)
    {
        if (head.Length < 12 || !head.StartsWith("HTTP/1."u8)) return -1;
        int code = 0;
        for (int i = 9; i < 12; i++)
        {
            if (head[i] is < (byte)'0' or > (byte)'9') return -1;
            code = code * 10 + head[i] - '0';
        }
        return code;
    }

    /// <summary>The Content-Length value, or -1 when absent or malformed.</summary>
    public static long ContentLength(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> value = Field(head, "content-length"u8);
        if (value.IsEmpty) return -1;
        long length = 0;
        foreach (byte b in value)
        {
            if (b is < (byte)'0' or > (byte)'9' || length > long.MaxValue / 10) return -1;
            length = length * 10 + b - '0';
        }
        return length;
    }

    /// <summary>True when the response says <c>Connection: close</c> (or is HTTP/1.0 without keep-alive).</summary>
    public static bool Closes(ReadOnlySpan<byte> head)
    {
        ReadOnlySpan<byte> connection = Field(head, "connection"u8);
        if (head.StartsWith("HTTP/1.0"u8)) return !Ascii.EqualsIgnoreCase(connection, "keep-alive"u8);
        return Ascii.EqualsIgnoreCase(connection, "close"u8);
    }

    /// <summary>The trimmed value of the first field named <paramref name="lowerName"/> (lower case), or empty.</summary>
    public static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerName)
    {
        int lineStart = head.IndexOf("\r\n"u8);
        while (lineStart >= 0 && lineStart + 2 < head.Length)
        {
            ReadOnlySpan<byte> rest = head[(lineStart + 2)..];
            int eol = rest.IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = eol < 0 ? rest : rest[..eol];
            int colon = line.IndexOf((byte)':');
            if (colon == lowerName.Length && Ascii.EqualsIgnoreCase(line[..colon], lowerName)) return line[(colon + 1)..].Trim((byte)' ');
            if (eol < 0) break;
            lineStart += 2 + eol;
        }
        return [];
    }
}
