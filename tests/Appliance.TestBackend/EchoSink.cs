using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Appliance.TestBackend;

/// <summary>
/// <c>/echo</c>: writes each decoded piece of the request body straight back, re-chunked with the same sizes.
/// The last piece is held back until <see cref="FlushAsync"/>, so the response cannot be complete before the
/// origin has recorded the request: a client that has the whole echo can read the record at once.
/// </summary>
internal sealed class EchoSink(Socket socket) : IBodySink
{
    private static readonly byte[] LineEnd = "\r\n"u8.ToArray();

    private byte[]? _held;

    public async ValueTask ChunkStartAsync(long size, CancellationToken cancel)
    {
        await FlushAsync(cancel);
        await socket.SendAllAsync(Encoding.ASCII.GetBytes(size.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancel);
    }

    public async ValueTask DataAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        await FlushAsync(cancel);
        _held = data.ToArray();
    }

    public async ValueTask ChunkEndAsync(CancellationToken cancel)
    {
        await FlushAsync(cancel);
        await socket.SendAllAsync(LineEnd, cancel);
    }

    /// <summary>Sends the piece held back, if any.</summary>
    public async ValueTask FlushAsync(CancellationToken cancel)
    {
        if (_held is { } held)
        {
            _held = null;
            await socket.SendAllAsync(held, cancel);
        }
    }
}
