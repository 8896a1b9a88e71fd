using System.Buffers;
using System.Net.Sockets;
using Appliance.Http;

namespace Appliance.Health;

/// <summary>
/// Reads one health check response into a single bounded buffer, as HAProxy judges only what fits in its
/// check buffer: the head (interim 1xx responses skipped), then, when an expectation needs it, the body
/// as far as its framing says (dechunked in place) or the buffer allows. Uses the proxy's strict HTTP/1
/// head parser, so a response the proxy would refuse to forward fails the check too.
/// One instance per check run, used by that run only.
/// </summary>
internal sealed class HttpCheckResponseReader : IDisposable
{
    private readonly Socket _socket;
    private readonly CancellationToken _cancel;
    private readonly int _capacity;
    private byte[]? _buffer;
    private int _filled;
    private int _headStart;
    private int _bodyStart;
    private int _bodyLength;
    private bool _closed;

    /// <param name="capacity">Bytes of response kept at most, head included.</param>
    /// <param name="cancel">Fires at the check's deadline or when the prober stops.</param>
    public HttpCheckResponseReader(Socket socket, int capacity, CancellationToken cancel)
    {
        _socket = socket;
        _cancel = cancel;
        _capacity = capacity;
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        Head = new ResponseHead(new HeadLimits { MaxHeadBytes = capacity });
    }

    /// <summary>The final response's head once <see cref="ReadHeadAsync"/> returned <see cref="ResponseHeadRead.Complete"/>.</summary>
    public ResponseHead Head { get; }

    /// <summary>The bytes <see cref="Head"/>'s ranges refer to.</summary>
    public ReadOnlySpan<byte> HeadBytes => Buffer.AsSpan(_headStart, _filled - _headStart);

    /// <summary>The body read by <see cref="ReadBodyAsync"/>: all of it, or as much as fitted or came before the close.</summary>
    public ReadOnlySpan<byte> Body => Buffer.AsSpan(_bodyStart, _bodyLength);

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(HttpCheckResponseReader));

    public async ValueTask<ResponseHeadRead> ReadHeadAsync()
    {
        while (true)
        {
            var result = Http1HeadParser.ParseResponse(Buffer.AsSpan(_headStart, _filled - _headStart), Head);
            if (result.IsError) return ResponseHeadRead.Invalid;
            if (result.IsComplete)
            {
                // 101 ends HTTP on this connection: it is the final answer, judged like any other status.
                if (!Head.IsInterim || Head.StatusCode == 101) return ResponseHeadRead.Complete;
                _headStart += result.Consumed;
                Head.Reset();
                continue;
            }
            if (!await ReadMoreAsync().ConfigureAwait(false)) return _filled == 0 ? ResponseHeadRead.Empty : ResponseHeadRead.Invalid;
        }
    }

    /// <summary>
    /// Reads the body of the response whose head was read; false when its chunked framing is invalid.
    /// <paramref name="requestWasHead"/>: a response to HEAD has no body whatever its head says.
    /// </summary>
    public async ValueTask<bool> ReadBodyAsync(bool requestWasHead)
    {
        var framing = BodyFraming.ForResponse(Head, requestWasHead ? RequestMethod.Head : RequestMethod.Get);
        _bodyStart = _headStart + Head.HeadLength;
        switch (framing.Kind)
        {
            case BodyKind.ContentLength:
                while (_filled - _bodyStart < framing.Length && await ReadMoreAsync().ConfigureAwait(false))
                {
                }
                _bodyLength = (int)Math.Min(framing.Length, _filled - _bodyStart);
                return true;
            case BodyKind.CloseDelimited:
                while (await ReadMoreAsync().ConfigureAwait(false))
                {
                }
                _bodyLength = _filled - _bodyStart;
                return true;
            case BodyKind.Chunked:
                return await ReadChunkedAsync().ConfigureAwait(false);
            default:
                _bodyLength = 0;
                return true;
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>
    /// Dechunks in place: chunk data is moved down over the framing bytes, and the undecoded rest follows
    /// it, so the framing takes no room from the body.
    /// </summary>
    private async ValueTask<bool> ReadChunkedAsync()
    {
        var decoder = new ChunkedBodyDecoder();
        int decodedEnd = _bodyStart, position = _bodyStart;
        while (true)
        {
            while (position < _filled)
            {
                var step = decoder.Decode(Buffer.AsSpan(position, _filled - position), out ByteRange data);
                if (step.IsError) return false;
                if (!data.IsEmpty)
                {
                    Buffer.AsSpan(position + data.Start, data.Length).CopyTo(Buffer.AsSpan(decodedEnd));
                    decodedEnd += data.Length;
                }
                position += step.Consumed;
                if (step.IsComplete)
                {
                    _bodyLength = decodedEnd - _bodyStart;
                    return true;
                }
                if (step.Consumed == 0) break;
            }
            int rest = _filled - position;
            Buffer.AsSpan(position, rest).CopyTo(Buffer.AsSpan(decodedEnd));
            position = decodedEnd;
            _filled = decodedEnd + rest;
            if (!await ReadMoreAsync().ConfigureAwait(false))
            {
                // Full or closed before the last chunk: judge what arrived, as HAProxy does.
                _bodyLength = decodedEnd - _bodyStart;
                return true;
            }
        }
    }

    /// <summary>Appends what the server sent next; false once the buffer is full or the server closed.</summary>
    private async ValueTask<bool> ReadMoreAsync()
    {
        if (_closed || _filled >= _capacity) return false;
        int received;
        try
        {
            received = await _socket.ReceiveAsync(Buffer.AsMemory(_filled, _capacity - _filled), SocketFlags.None, _cancel).ConfigureAwait(false);
        }
        catch (SocketException) when (_filled > 0 && !_cancel.IsCancellationRequested)
        {
            // A reset right after the last bytes is common: judge the data, as HAProxy does, rather than the error.
            received = 0;
        }
        if (received == 0)
        {
            _closed = true;
            return false;
        }
        _filled += received;
        return true;
    }
}
