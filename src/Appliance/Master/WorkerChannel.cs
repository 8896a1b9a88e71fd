using System.Buffers.Binary;
using System.Text;
using Appliance.Native;

namespace Appliance.Master;

/// <summary>
/// The master–worker channel: a blocking Unix stream socket (one end of a socketpair) carrying frames
/// <c>[u32 payload length][u16 kind][u16 descriptor count][payload]</c>. Descriptors travel as
/// <c>SCM_RIGHTS</c> attached to the frame's first byte; the kernel delivers them with the bytes of the
/// send they came with, so the receiver queues every descriptor it gets and hands each frame the
/// number its header announces. One thread receives; sends are serialized by a lock (any thread).
/// </summary>
internal sealed class WorkerChannel : IDisposable
{
    private const int HeaderLength = 8;
    /// <summary>A config text is the biggest payload; 64 MiB is far beyond any real one.</summary>
    private const int MaxPayload = 64 << 20;

    private readonly object _sendLock = new();
    private readonly List<int> _receivedFds = new();
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private int _fd;

    public WorkerChannel(int fd) => _fd = fd;

    public int Fd => _fd;

    /// <summary>Sends one frame; throws <see cref="IOException"/> when the peer is gone.</summary>
    public void Send(MessageKind kind, Action<BinaryWriter>? body = null, ReadOnlySpan<int> fds = default)
    {
        if (fds.Length > UnixSocket.MaxDescriptorsPerMessage) throw new ArgumentException("too many descriptors for one frame", nameof(fds));
        var stream = new MemoryStream();
        stream.Write(new byte[HeaderLength]);
        if (body is not null)
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            body(writer);
        }
        byte[] frame = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)(frame.Length - HeaderLength));
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(4), (ushort)kind);
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(6), (ushort)fds.Length);
        lock (_sendLock)
        {
            int fd = Volatile.Read(ref _fd);
            if (fd < 0) throw new IOException("channel closed");
            nint sent = UnixSocket.Send(fd, frame, fds);
            if (sent < 0) throw new IOException($"channel send failed: {Errno.Message((int)-sent)}");
            for (int offset = (int)sent; offset < frame.Length; offset += (int)sent)
            {
                sent = UnixSocket.Send(fd, frame.AsSpan(offset), default);
                if (sent <= 0) throw new IOException($"channel send failed: {Errno.Message((int)-sent)}");
            }
        }
    }

    /// <summary>Sends and swallows a failure (the peer is gone: its exit is handled elsewhere).</summary>
    public bool TrySend(MessageKind kind, Action<BinaryWriter>? body = null)
    {
        try
        {
            Send(kind, body);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Blocks until a whole frame arrived; null when the peer closed the channel (or it was closed here).
    /// Throws <see cref="IOException"/> on a protocol error. Receiving thread only.
    /// </summary>
    public ChannelMessage? Receive()
    {
        while (true)
        {
            int buffered = _end - _start;
            if (buffered >= HeaderLength)
            {
                ReadOnlySpan<byte> header = _buffer.AsSpan(_start, HeaderLength);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(header);
                var kind = (MessageKind)BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
                int fdCount = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
                if (length > MaxPayload) throw new IOException($"channel frame of {length} bytes");
                if (buffered >= HeaderLength + length)
                {
                    byte[] payload = _buffer.AsSpan(_start + HeaderLength, (int)length).ToArray();
                    _start += HeaderLength + (int)length;
                    if (_receivedFds.Count < fdCount) throw new IOException($"channel frame announced {fdCount} descriptors, {_receivedFds.Count} arrived");
                    int[] fds = _receivedFds.GetRange(0, fdCount).ToArray();
                    _receivedFds.RemoveRange(0, fdCount);
                    return new ChannelMessage(kind, payload, fds);
                }
                EnsureRoom(HeaderLength + (int)length);
            }
            else
            {
                EnsureRoom(HeaderLength);
            }
            int fd = Volatile.Read(ref _fd);
            if (fd < 0) return null;
            nint n = UnixSocket.Receive(fd, _buffer.AsSpan(_end), _receivedFds);
            if (n == 0) return null;
            if (n < 0)
            {
                if (-n is Errno.ECONNRESET or Errno.EBADF) return null;
                throw new IOException($"channel receive failed: {Errno.Message((int)-n)}");
            }
            _end += (int)n;
        }
    }

    /// <summary>
    /// Ends the conversation without closing the descriptor: a receiver blocked in <see cref="Receive"/>
    /// (here or in the peer) sees the end, and sends fail from now on. Any thread.
    /// </summary>
    public void Shutdown()
    {
        int fd = Volatile.Read(ref _fd);
        if (fd >= 0) Libc.Shutdown(fd, LinuxConstants.SHUT_RDWR);
    }

    /// <summary>
    /// Closes the descriptor, and descriptors received but never claimed. Called by the receiving thread
    /// once <see cref="Receive"/> returned null (so no receive can race with the close).
    /// </summary>
    public void Dispose()
    {
        lock (_sendLock)
        {
            int fd = Interlocked.Exchange(ref _fd, -1);
            if (fd < 0) return;
            Libc.Shutdown(fd, LinuxConstants.SHUT_RDWR);
            Libc.Close(fd);
        }
        CloseUnclaimedDescriptors();
    }

    /// <summary>Closes descriptors that arrived without a frame claiming them. Receiving thread only.</summary>
    public void CloseUnclaimedDescriptors()
    {
        foreach (int fd in _receivedFds) Libc.Close(fd);
        _receivedFds.Clear();
    }

    /// <summary>Makes room for a frame of <paramref name="needed"/> bytes from <c>_start</c>.</summary>
    private void EnsureRoom(int needed)
    {
        if (_start > 0 && _buffer.Length - _start < needed)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _start < needed) Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
    }
}
