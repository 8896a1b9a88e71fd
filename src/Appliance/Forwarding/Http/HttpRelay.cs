using Appliance.Engine;
using Appliance.Http;
using Appliance.Native;

namespace Appliance.Forwarding.Http;

/// <summary>
/// One direction of an HTTP exchange (client → server or server → client): received bytes in a rented
/// buffer, a rewritten head waiting to be sent, and the body relayed as its framing says — a known
/// length, chunked (each chunk validated before its bytes are forwarded), until close, or raw (tunnel).
/// Bytes past the message (a pipelined next request) stay in the buffer. Used on one shard thread.
/// </summary>
internal sealed class HttpRelay
{
    /// <summary>
    /// A body of known length with at least this much left after the buffered bytes is spliced
    /// (socket → pipe → socket) rather than copied: on large transfers that saves the copies; small
    /// bodies stay on the buffer, where one recv/send pair is cheaper than two splices.
    /// </summary>
    private const long SpliceThreshold = 64 * 1024;
    private const int SpliceChunk = 64 * 1024;

    private readonly ChunkedBodyDecoder _chunked = new();
    private PipePool? _pipes;
    private Native.Pipe _pipe;
    private bool _hasPipe;
    private int _inPipe;
    private byte[]? _buffer;
    private byte[]? _out;
    private int _outStart;
    private int _outEnd;
    private BodyKind _kind;
    private long _remaining;
    /// <summary>Chunked: bytes in [Start, _validated) were checked by the decoder and may be forwarded.</summary>
    private int _validated;

    /// <summary>Start of the bytes not yet consumed in the buffer.</summary>
    public int Start { get; private set; }

    /// <summary>End of the received bytes in the buffer.</summary>
    public int End { get; private set; }

    public int Buffered => End - Start;

    public ReadOnlySpan<byte> Data => _buffer is null ? default : _buffer.AsSpan(Start, End - Start);

    public bool SourceReadable { get; set; }

    public bool TargetWritable { get; set; }

    /// <summary>The source sent FIN.</summary>
    public bool SourceEnded { get; private set; }

    public bool BodyDone { get; private set; }

    public bool HasPendingOutput => _out is not null && _outStart < _outEnd;

    /// <summary>
    /// Keep the output buffer after it was sent, so it can be sent again with <see cref="Rewind"/> (a
    /// bodiless request replayed on a fresh server connection).
    /// </summary>
    public bool KeepSentOutput { get; set; }

    /// <summary>Body bytes forwarded for the current message.</summary>
    public long BodyBytes { get; private set; }

    /// <summary>Bytes written to the target (heads and bodies) since the last <see cref="TakeSentBytes"/> (the access log's byte count).</summary>
    public long SentBytes { get; private set; }

    /// <summary>Returns <see cref="SentBytes"/> and starts counting again.</summary>
    public long TakeSentBytes()
    {
        long sent = SentBytes;
        SentBytes = 0;
        return sent;
    }

    /// <summary>Lets this relay splice large bodies of known length through pipes from <paramref name="pipes"/>.</summary>
    public void EnableSplice(PipePool pipes) => _pipes = pipes;

    /// <summary>Body bytes moved with splice (counted by the session into the shard's spliced bytes).</summary>
    public long SplicedBytes { get; private set; }

    /// <summary>Returns <see cref="SplicedBytes"/> and starts counting again.</summary>
    public long TakeSplicedBytes()
    {
        long spliced = SplicedBytes;
        SplicedBytes = 0;
        return spliced;
    }

    /// <summary>Bytes received from the source (buffer and pipe) and sent to the target since the last <see cref="TakeTraffic"/>.</summary>
    private long _received, _sent;

    /// <summary>Returns the bytes received and sent since the last call (for the bytes in/out counters).</summary>
    public void TakeTraffic(out long received, out long sent)
    {
        received = _received;
        sent = _sent;
        _received = _sent = 0;
    }

    /// <summary>Counts bytes sent to the target outside <see cref="Pump"/> (an answer sent from its own array).</summary>
    public void CountSent(long bytes) => _sent += bytes;

    /// <summary>Receives from <paramref name="fd"/> into the buffer; returns bytes, 0 at EOF, or -errno.</summary>
    public nint Receive(int fd, BufferPool pool)
    {
        _buffer ??= pool.Rent();
        if (Start == End)
        {
            _validated -= Start;
            Start = End = 0;
        }
        else if (End == _buffer.Length && Start > 0)
        {
            Buffer.BlockCopy(_buffer, Start, _buffer, 0, End - Start);
            _validated -= Start;
            End -= Start;
            Start = 0;
        }
        if (End == _buffer.Length) return -Errno.ENOBUFS;
        nint n = TcpSocket.Receive(fd, _buffer.AsSpan(End));
        if (n > 0)
        {
            End += (int)n;
            _received += n;
        }
        else if (n == 0) SourceEnded = true;
        return n;
    }

    /// <summary>Marks <paramref name="count"/> bytes at <see cref="Start"/> as consumed (a parsed head).</summary>
    public void Skip(int count)
    {
        Start += count;
        if (_validated < Start) _validated = Start;
    }

    /// <summary>Rents the output buffer for a rewritten head.</summary>
    public Span<byte> BeginOutput(BufferPool pool)
    {
        _out ??= pool.Rent();
        _outStart = _outEnd = 0;
        return _out;
    }

    /// <summary>Queues bytes already written into the output buffer by <see cref="BeginOutput"/>.</summary>
    public void CommitOutput(int length) => _outEnd = length;

    /// <summary>Sends the kept output again from its start; false if none was kept.</summary>
    public bool Rewind()
    {
        if (_out is null || _outEnd == 0) return false;
        _outStart = 0;
        return true;
    }

    public void ReleaseOutput(BufferPool pool)
    {
        if (_out is null) return;
        pool.Return(_out);
        _out = null;
        _outStart = _outEnd = 0;
    }

    /// <summary>Queues a copy of <paramref name="bytes"/> (an error page, an interim head) for sending.</summary>
    public void QueueOutput(ReadOnlySpan<byte> bytes, BufferPool pool)
    {
        Span<byte> output = BeginOutput(pool);
        bytes.CopyTo(output);
        _outEnd = bytes.Length;
    }

    /// <summary>Starts relaying a body with <paramref name="framing"/> from the bytes after the head.</summary>
    public void BeginBody(BodyFraming framing)
    {
        _kind = framing.Kind;
        _remaining = framing.Length;
        _validated = Start;
        _chunked.Reset();
        BodyBytes = 0;
        BodyDone = _kind == BodyKind.None || (_kind == BodyKind.ContentLength && _remaining == 0);
    }

    /// <summary>
    /// Moves body bytes already buffered into the output buffer behind the head, so head and first
    /// body bytes leave in one send.
    /// </summary>
    public bool AppendBodyToOutput()
    {
        if (_out is null || BodyDone) return true;
        int available = MessageBytesAvailable(out bool error);
        if (error) return false;
        int room = _out.Length - _outEnd;
        int n = Math.Min(available, room);
        if (n <= 0) return true;
        _buffer.AsSpan(Start, n).CopyTo(_out.AsSpan(_outEnd));
        _outEnd += n;
        Consumed(n);
        return true;
    }

    /// <summary>Sends queued output, then relays the body from <paramref name="sourceFd"/> to <paramref name="targetFd"/>.</summary>
    public RelayStatus Pump(int sourceFd, int targetFd, BufferPool pool, out PumpActivity activity)
    {
        activity = PumpActivity.None;
        while (true)
        {
            if (HasPendingOutput)
            {
                if (!TargetWritable) return RelayStatus.Waiting;
                nint sent = TcpSocket.SendBytes(targetFd, _out.AsSpan(_outStart, _outEnd - _outStart));
                if (sent < 0)
                {
                    if (sent == -Errno.EAGAIN)
                    {
                        TargetWritable = false;
                        return RelayStatus.Waiting;
                    }
                    if (sent == -Errno.EINTR) continue;
                    return RelayStatus.TargetFailed;
                }
                activity |= PumpActivity.Wrote;
                _sent += sent;
                SentBytes += sent;
                _outStart += (int)sent;
                if (_outStart == _outEnd && !KeepSentOutput) ReleaseOutput(pool);
                continue;
            }
            if (BodyDone) return RelayStatus.Done;

            int available = MessageBytesAvailable(out bool error);
            if (error) return RelayStatus.ProtocolError;
            if (available > 0)
            {
                if (!TargetWritable) return RelayStatus.Waiting;
                nint sent = TcpSocket.SendBytes(targetFd, _buffer.AsSpan(Start, available));
                if (sent < 0)
                {
                    if (sent == -Errno.EAGAIN)
                    {
                        TargetWritable = false;
                        return RelayStatus.Waiting;
                    }
                    if (sent == -Errno.EINTR) continue;
                    return RelayStatus.TargetFailed;
                }
                activity |= PumpActivity.Wrote;
                _sent += sent;
                SentBytes += sent;
                Consumed((int)sent);
                continue;
            }

            if (_inPipe > 0 || (_kind == BodyKind.ContentLength && _remaining >= SpliceThreshold && _pipes is not null && !SourceEnded))
            {
                RelayStatus? spliced = SpliceBody(sourceFd, targetFd, ref activity);
                if (spliced is { } status) return status;
            }

            if (SourceEnded)
            {
                if (_kind is BodyKind.CloseDelimited or BodyKind.Tunnel)
                {
                    BodyDone = true;
                    continue;
                }
                return RelayStatus.SourceTruncated;
            }
            if (!SourceReadable) return RelayStatus.Waiting;
            nint received = Receive(sourceFd, pool);
            if (received > 0)
            {
                activity |= PumpActivity.Read;
                continue;
            }
            if (received == 0)
            {
                activity |= PumpActivity.Read;
                continue;
            }
            if (received == -Errno.EAGAIN)
            {
                SourceReadable = false;
                ReleaseIfEmpty(pool);
                return RelayStatus.Waiting;
            }
            if (received == -Errno.EINTR) continue;
            return received == -Errno.ENOBUFS ? RelayStatus.ProtocolError : RelayStatus.SourceFailed;
        }
    }

    /// <summary>
    /// Moves the rest of a known-length body with splice while the buffer is empty. Returns a status to
    /// report, or null to fall back to the buffer (no pipe available). As in TCP mode, EAGAIN from
    /// splice into a pipe means "socket empty" only when the pipe is empty too (a pipe can run out of
    /// slots with bytes to spare); otherwise the pipe is flushed first.
    /// </summary>
    private RelayStatus? SpliceBody(int sourceFd, int targetFd, ref PumpActivity activity)
    {
        while (true)
        {
            bool progressed = false;
            long wanted = _remaining - _inPipe;
            if (SourceReadable && !SourceEnded && wanted > 0 && _inPipe < SpliceChunk)
            {
                if (!_hasPipe)
                {
                    if (!_pipes!.TryRent(out _pipe)) return _inPipe > 0 ? RelayStatus.Waiting : null;
                    _hasPipe = true;
                }
                nint n = Native.Splice.Move(sourceFd, _pipe.WriteFd, (nint)Math.Min(SpliceChunk - _inPipe, wanted));
                if (n > 0)
                {
                    _inPipe += (int)n;
                    _received += n;
                    progressed = true;
                    activity |= PumpActivity.Read;
                }
                else if (n == 0)
                {
                    SourceEnded = true;
                    progressed = true;
                }
                else if (n == -Errno.EAGAIN)
                {
                    if (_inPipe == 0) SourceReadable = false;
                }
                else if (n != -Errno.EINTR)
                {
                    return RelayStatus.SourceFailed;
                }
            }
            if (_inPipe > 0 && TargetWritable)
            {
                nint n = Native.Splice.Move(_pipe.ReadFd, targetFd, _inPipe);
                if (n > 0)
                {
                    _inPipe -= (int)n;
                    _remaining -= n;
                    BodyBytes += n;
                    SplicedBytes += n;
                    _sent += n;
                    SentBytes += n;
                    if (_remaining == 0) BodyDone = true;
                    progressed = true;
                    activity |= PumpActivity.Wrote;
                }
                else if (n == -Errno.EAGAIN)
                {
                    TargetWritable = false;
                }
                else if (n != -Errno.EINTR)
                {
                    return RelayStatus.TargetFailed;
                }
            }
            if (_inPipe == 0 && _hasPipe)
            {
                _pipes!.Return(_pipe, empty: true);
                _hasPipe = false;
            }
            if (BodyDone) return RelayStatus.Done;
            if (SourceEnded && _inPipe == 0) return RelayStatus.SourceTruncated;
            if (!progressed) return RelayStatus.Waiting;
        }
    }

    /// <summary>Returns the input buffer to the pool when it holds nothing.</summary>
    public void ReleaseIfEmpty(BufferPool pool)
    {
        if (_buffer is not null && Start == End)
        {
            pool.Return(_buffer);
            _buffer = null;
            Start = End = _validated = 0;
        }
    }

    /// <summary>Forgets everything (buffers back to the pool) for the next connection.</summary>
    public void Reset(BufferPool pool)
    {
        if (_buffer is not null) pool.Return(_buffer);
        if (_out is not null) pool.Return(_out);
        if (_hasPipe)
        {
            _pipes!.Return(_pipe, empty: _inPipe == 0);
            _hasPipe = false;
        }
        _inPipe = 0;
        _buffer = _out = null;
        Start = End = _outStart = _outEnd = _validated = 0;
        SourceReadable = TargetWritable = SourceEnded = BodyDone = KeepSentOutput = false;
        _kind = BodyKind.None;
        _remaining = 0;
        BodyBytes = 0;
    }

    /// <summary>
    /// Consumes a message the proxy answers itself without forwarding it: its head of
    /// <paramref name="headLength"/> bytes, then as much of its body as is buffered. True when the whole
    /// message was in the buffer (bytes after it are the next request); false when part of the body is
    /// still to come or a chunk is malformed, so the rest of the stream cannot be interpreted.
    /// </summary>
    public bool SkipMessage(int headLength, BodyFraming framing)
    {
        Skip(headLength);
        BeginBody(framing);
        if (BodyDone) return true;
        int available = MessageBytesAvailable(out bool error);
        if (error) return false;
        if (available > 0) Consumed(available);
        return BodyDone;
    }

    /// <summary>Drops buffered input (after an error the rest of the stream is not interpreted).</summary>
    public void DiscardInput()
    {
        Start = End = _validated = 0;
    }

    private int MessageBytesAvailable(out bool error)
    {
        error = false;
        int buffered = End - Start;
        switch (_kind)
        {
            case BodyKind.ContentLength:
                return (int)Math.Min(buffered, _remaining);
            case BodyKind.Chunked:
                if (!_chunked.IsComplete && _validated < End)
                {
                    ChunkedDecodeResult result = _chunked.Advance(_buffer.AsSpan(_validated, End - _validated));
                    if (result.IsError)
                    {
                        error = true;
                        return 0;
                    }
                    _validated += result.Consumed;
                }
                return _validated - Start;
            case BodyKind.CloseDelimited:
            case BodyKind.Tunnel:
                return buffered;
            default:
                return 0;
        }
    }

    private void Consumed(int count)
    {
        Start += count;
        BodyBytes += count;
        switch (_kind)
        {
            case BodyKind.ContentLength:
                _remaining -= count;
                if (_remaining == 0) BodyDone = true;
                break;
            case BodyKind.Chunked:
                if (_chunked.IsComplete && Start == _validated) BodyDone = true;
                break;
        }
    }
}
