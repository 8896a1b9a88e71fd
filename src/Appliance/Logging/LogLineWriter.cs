using System.Buffers.Text;
using System.Globalization;
using IPAddress = System.Net.IPAddress;
using System.Text;
using Appliance.Native;

namespace Appliance.Logging;

/// <summary>
/// Appends the parts of a log line into a fixed buffer without allocating; what does not fit is cut
/// (the line stays well-formed up to the cut). Shard thread.
/// </summary>
internal ref struct LogLineWriter
{
    private readonly Span<byte> _buffer;

    public LogLineWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        Length = 0;
    }

    public int Length { get; private set; }

    public ReadOnlySpan<byte> Written => _buffer[..Length];

    public void Append(byte value)
    {
        if (Length < _buffer.Length) _buffer[Length++] = value;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        int n = Math.Min(bytes.Length, _buffer.Length - Length);
        bytes[..n].CopyTo(_buffer[Length..]);
        Length += n;
    }

    /// <summary>A name from the configuration (ASCII in practice; anything else is written as UTF-8).</summary>
    public void Append(string text)
    {
        Span<byte> free = _buffer[Length..];
        if (Encoding.UTF8.GetMaxByteCount(text.Length) <= free.Length || Encoding.UTF8.GetByteCount(text) <= free.Length)
        {
            Length += Encoding.UTF8.GetBytes(text, free);
        }
    }

    public void Append(long value)
    {
        if (Utf8Formatter.TryFormat(value, _buffer[Length..], out int written)) Length += written;
    }

    /// <summary>HAProxy's date format in logs: <c>dd/Mmm/yyyy:HH:mm:ss.fff</c>.</summary>
    public void AppendDate(DateTime date)
    {
        if (date.TryFormat(_buffer[Length..], out int written, "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture)) Length += written;
    }

    /// <summary>HAProxy's GMT date (<c>%T</c>): <c>dd/Mmm/yyyy:HH:mm:ss +0000</c>.</summary>
    public void AppendGmtDate(DateTime utc)
    {
        if (utc.TryFormat(_buffer[Length..], out int written, "dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)) Length += written;
        Append(" +0000"u8);
    }

    /// <summary>The port of a sockaddr; "-" for none.</summary>
    public void AppendPort(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length < 4) Append((byte)'-');
        else Append(SocketAddress.Port(sockaddr));
    }

    /// <summary><c>IP:PORT</c> of a sockaddr (IPv4-mapped IPv6 addresses shown as IPv4, as HAProxy does); "-" for none.</summary>
    public void AppendAddress(ReadOnlySpan<byte> sockaddr, bool withPort = true)
    {
        if (sockaddr.Length < 4)
        {
            Append((byte)'-');
            return;
        }
        ReadOnlySpan<byte> ip = SocketAddress.IpBytes(sockaddr);
        if (ip.Length == 16 && ip[..10].IndexOfAnyExcept((byte)0) < 0 && ip[10] == 0xff && ip[11] == 0xff) ip = ip[12..];
        if (ip.Length == 4)
        {
            for (int i = 0; i < 4; i++)
            {
                if (i > 0) Append((byte)'.');
                Append((long)ip[i]);
            }
        }
        else if (ip.Length == 16)
        {
            // Rare enough that formatting through IPAddress (one allocation) is acceptable.
            Span<char> text = stackalloc char[64];
            if (new IPAddress(ip).TryFormat(text, out int written))
            {
                foreach (char c in text[..written]) Append((byte)c);
            }
        }
        else
        {
            Append("unix"u8);
            return;
        }
        if (!withPort) return;
        Append((byte)':');
        Append(SocketAddress.Port(sockaddr));
    }

    /// <summary>A request line between double quotes; quotes, backslashes and control bytes escaped as HAProxy's <c>+Q</c>.</summary>
    public void AppendQuoted(ReadOnlySpan<byte> text)
    {
        Append((byte)'"');
        foreach (byte b in text)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                Append((byte)'\\');
                Append(b);
            }
            else if (b < 0x20 || b >= 0x7f)
            {
                Append((byte)'#');
                Append((byte)"0123456789ABCDEF"[b >> 4]);
                Append((byte)"0123456789ABCDEF"[b & 15]);
            }
            else
            {
                Append(b);
            }
        }
        Append((byte)'"');
    }
}
