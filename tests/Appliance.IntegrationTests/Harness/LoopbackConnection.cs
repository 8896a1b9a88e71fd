using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A test's client TCP connection to 127.0.0.1 with a timeout on every operation, so a proxy that hangs fails
/// the test instead of hanging it. Blocking calls keep test code linear; one thread may send while another
/// receives. Bytes read past a line end are kept for the next read.
/// </summary>
public sealed class LoopbackConnection : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Large enough that hashing, not syscalls, bounds a 100 MiB read.</summary>
    public const int BulkBufferBytes = 256 * 1024;

    private readonly byte[] _lineBuffer = new byte[4096];
    private int _lineStart;
    private int _lineEnd;

    private LoopbackConnection(Socket socket) => Socket = socket;

    public Socket Socket { get; }

    /// <summary>Bytes already received and kept by <see cref="ReadLine"/> but not returned yet.</summary>
    public int BufferedCount => _lineEnd - _lineStart;

    /// <summary>
    /// Connects within <paramref name="timeout"/>. A full accept queue drops SYNs and a blocking connect would
    /// retry for minutes, so this is a non-blocking connect bounded by poll. It stays fully synchronous (no
    /// thread-pool callbacks), so many of these may run in parallel without starving the pool.
    /// </summary>
    public static LoopbackConnection Open(int port, TimeSpan? timeout = null, IPAddress? source = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Another loopback address (127.0.0.0/8) as the client's: tells the client apart from the proxy's own connections.
            if (source is not null) socket.Bind(new IPEndPoint(source, 0));
            socket.Blocking = false;
            try
            {
                socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
            {
                var writable = new List<Socket> { socket };
                var failed = new List<Socket> { socket };
                Socket.Select(null, writable, failed, limit);
                if (writable.Count == 0 && failed.Count == 0)
                {
                    throw new TimeoutException($"connect to 127.0.0.1:{port} took longer than {limit.TotalSeconds:0.#} s");
                }

                var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
                if (error != SocketError.Success)
                {
                    throw new SocketException((int)error);
                }
            }

            socket.Blocking = true;
            socket.SendTimeout = (int)limit.TotalMilliseconds;
            socket.ReceiveTimeout = (int)limit.TotalMilliseconds;
            return new LoopbackConnection(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Send(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[Socket.Send(bytes)..];
        }
    }

    public void SendText(string text) => Send(Encoding.UTF8.GetBytes(text));

    /// <summary>Sends the first <paramref name="count"/> bytes of the deterministic stream for <paramref name="seed"/>.</summary>
    public void SendDeterministicStream(long count, ulong seed = DeterministicByteStream.DefaultSeed)
    {
        var stream = new DeterministicByteStream(seed);
        var buffer = new byte[(int)Math.Clamp(count, 1, BulkBufferBytes)];
        for (long remaining = count; remaining > 0;)
        {
            int take = (int)Math.Min(buffer.Length, remaining);
            stream.Fill(buffer.AsSpan(0, take));
            Send(buffer.AsSpan(0, take));
            remaining -= take;
        }
    }

    /// <summary>Reads what is available (at least one byte); 0 means EOF.</summary>
    public int Receive(Span<byte> destination)
    {
        if (_lineEnd > _lineStart)
        {
            int buffered = Math.Min(destination.Length, _lineEnd - _lineStart);
            _lineBuffer.AsSpan(_lineStart, buffered).CopyTo(destination);
            _lineStart += buffered;
            return buffered;
        }

        return Socket.Receive(destination);
    }

    /// <summary>The next line without its <c>\n</c> (and <c>\r</c>), or null if EOF comes first.</summary>
    public string? ReadLine()
    {
        var line = new List<byte>();
        while (true)
        {
            if (_lineStart == _lineEnd)
            {
                _lineStart = 0;
                _lineEnd = Socket.Receive(_lineBuffer);
                if (_lineEnd == 0)
                {
                    return null;
                }
            }

            int newline = Array.IndexOf(_lineBuffer, (byte)'\n', _lineStart, _lineEnd - _lineStart);
            int stop = newline < 0 ? _lineEnd : newline;
            line.AddRange(_lineBuffer.AsSpan(_lineStart, stop - _lineStart));
            _lineStart = newline < 0 ? _lineEnd : newline + 1;
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
            }
        }
    }

    public byte[] ReadExactly(int count)
    {
        var bytes = new byte[count];
        for (int read = 0; read < count;)
        {
            int received = Receive(bytes.AsSpan(read));
            if (received == 0)
            {
                throw new EndOfStreamException($"EOF after {read} of {count} bytes");
            }

            read += received;
        }

        return bytes;
    }

    /// <summary>Reads to EOF, hashing: for transfers too large to keep.</summary>
    public (long Count, string Sha256) ReadToEndHashed()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BulkBufferBytes];
        long total = 0;
        int received;
        while ((received = Receive(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, received);
            total += received;
        }

        return (total, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>
    /// Reads and drops bytes until the far side closes, reporting whether it was a FIN or a RST. A silent peer
    /// fails with a timeout SocketException after the receive timeout, which is what "no hang" tests assert.
    /// </summary>
    public CloseOutcome ReadUntilClosed(out long bytesRead)
    {
        var buffer = new byte[BulkBufferBytes];
        bytesRead = 0;
        try
        {
            int received;
            while ((received = Receive(buffer)) > 0)
            {
                bytesRead += received;
            }

            return CloseOutcome.EndOfStream;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return CloseOutcome.Reset;
        }
    }

    /// <summary>shutdown(SHUT_WR): our FIN, while we keep reading.</summary>
    public void ShutdownSend() => Socket.Shutdown(SocketShutdown.Send);

    /// <summary>Close with SO_LINGER 0: the peer gets a RST instead of a FIN.</summary>
    public void Abort()
    {
        Socket.LingerState = new LingerOption(enable: true, seconds: 0);
        Socket.Close();
    }

    public void Dispose() => Socket.Dispose();
}
