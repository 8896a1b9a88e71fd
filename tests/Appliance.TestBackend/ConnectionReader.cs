using System.Net.Sockets;

namespace Appliance.TestBackend;

/// <summary>
/// Buffered reads from one origin connection: request heads, CRLF-terminated lines and body bytes, with a count
/// of everything received. One task owns it; not thread-safe.
/// </summary>
internal sealed class ConnectionReader(Socket socket)
{
    /// <summary>
    /// Four times HAProxy's default <c>tune.bufsize</c> (16 KiB): large enough that a head the proxy should have
    /// refused with 431 still reaches the origin intact and is recorded, proving the proxy let it through.
    /// </summary>
    public const int MaxHeadBytes = 64 * 1024;

    private readonly byte[] _buffer = new byte[MaxHeadBytes];
    private int _start;
    private int _end;

    public Socket Socket { get; } = socket;

    /// <summary>Bytes received on the connection so far, whether consumed yet or not.</summary>
    public long BytesReceived { get; private set; }

    /// <summary>Bytes received but not consumed yet.</summary>
    public int BufferedCount => _end - _start;

    /// <summary>
    /// Waits for a complete head: everything up to the first empty line (CRLF or bare LF), leading empty lines
    /// skipped. <paramref name="onPartial"/> is called once, with the byte count, the first time bytes of a head
    /// are buffered but more are needed. On <see cref="HeadReadStatus.Complete"/>, <paramref name="head"/> has the
    /// request line and field lines without the empty line, and those bytes are consumed.
    /// </summary>
    public async ValueTask<(HeadReadStatus Status, byte[] Head, long PartialBytes)> ReadHeadAsync(
        Action<long> onPartial, CancellationToken cancel)
    {
        bool reported = false;
        while (true)
        {
            SkipLeadingEmptyLines();
            if (TryTakeHead(out var head))
            {
                return (HeadReadStatus.Complete, head, 0);
            }

            if (BufferedCount == _buffer.Length)
            {
                return (HeadReadStatus.TooLarge, [], BufferedCount);
            }

            if (BufferedCount > 0 && !reported)
            {
                reported = true;
                onPartial(BufferedCount);
            }

            if (!await FillAsync(cancel))
            {
                return BufferedCount == 0
                    ? (HeadReadStatus.ClosedBetweenRequests, [], 0)
                    : (HeadReadStatus.ClosedInHead, [], BufferedCount);
            }
        }
    }

    /// <summary>The next line without its LF (and CR); null if EOF comes first or the line exceeds the buffer.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken cancel)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_start, BufferedCount).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var line = System.Text.Encoding.Latin1.GetString(_buffer, _start, newline);
                _start += newline + 1;
                return line.EndsWith('\r') ? line[..^1] : line;
            }

            if (BufferedCount == _buffer.Length || !await FillAsync(cancel))
            {
                return null;
            }
        }
    }

    /// <summary>Up to <paramref name="destination"/>.Length bytes, buffered ones first; 0 means EOF.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancel)
    {
        if (BufferedCount > 0)
        {
            int take = Math.Min(BufferedCount, destination.Length);
            _buffer.AsMemory(_start, take).CopyTo(destination);
            _start += take;
            return take;
        }

        int received = await Socket.ReceiveAsync(destination, SocketFlags.None, cancel);
        BytesReceived += received;
        return received;
    }

    /// <summary>Takes the bytes buffered but not consumed (WebSocket data that arrived with the upgrade).</summary>
    public byte[] TakeBuffered()
    {
        var rest = _buffer.AsSpan(_start, BufferedCount).ToArray();
        _start = _end = 0;
        return rest;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancel)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, BufferedCount);
            _end -= _start;
            _start = 0;
        }

        int received = await Socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel);
        BytesReceived += received;
        _end += received;
        return received > 0;
    }

    private void SkipLeadingEmptyLines()
    {
        while (BufferedCount > 0 && _buffer[_start] is (byte)'\r' or (byte)'\n')
        {
            // A lone CR at the end may be the start of a CRLF still in flight; keep it until we know.
            if (_buffer[_start] == (byte)'\r' && (BufferedCount < 2 || _buffer[_start + 1] != (byte)'\n'))
            {
                return;
            }

            _start += _buffer[_start] == (byte)'\r' ? 2 : 1;
        }
    }

    private bool TryTakeHead(out byte[] head)
    {
        var span = _buffer.AsSpan(_start, BufferedCount);
        for (int newline = span.IndexOf((byte)'\n'); newline >= 0;)
        {
            int next = newline + 1;
            // An empty line: LF directly after this LF, or CR LF after it.
            if (next < span.Length && span[next] == (byte)'\n')
            {
                return Take(newline, next + 1, out head);
            }

            if (next + 1 < span.Length && span[next] == (byte)'\r' && span[next + 1] == (byte)'\n')
            {
                return Take(newline, next + 2, out head);
            }

            int following = span[next..].IndexOf((byte)'\n');
            newline = following < 0 ? -1 : next + following;
        }

        head = [];
        return false;
    }

    private bool Take(int headEnd, int consumed, out byte[] head)
    {
        // headEnd is the LF ending the last field line; drop it and its CR.
        int length = headEnd > 0 && _buffer[_start + headEnd - 1] == (byte)'\r' ? headEnd - 1 : headEnd;
        head = _buffer.AsSpan(_start, length).ToArray();
        _start += consumed;
        return true;
    }
}
