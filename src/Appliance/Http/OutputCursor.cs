namespace Appliance.Http;

/// <summary>
/// Appends to a destination span and remembers whether anything did not fit, so a writer can emit a whole
/// head and check once at the end.
/// </summary>
internal ref struct OutputCursor
{
    private readonly Span<byte> _destination;
    private int _position;
    private bool _overflowed;

    public OutputCursor(Span<byte> destination)
    {
        _destination = destination;
        _position = 0;
        _overflowed = false;
    }

    public readonly int Position => _position;

    public readonly bool Overflowed => _overflowed;

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (_overflowed) return;
        if (bytes.Length > _destination.Length - _position)
        {
            _overflowed = true;
            return;
        }
        bytes.CopyTo(_destination[_position..]);
        _position += bytes.Length;
    }

    public void Write(byte b)
    {
        if (_overflowed) return;
        if (_position == _destination.Length)
        {
            _overflowed = true;
            return;
        }
        _destination[_position++] = b;
    }

    public void WriteDecimal(long value)
    {
        if (_overflowed) return;
        if (!value.TryFormat(_destination[_position..], out int written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            _overflowed = true;
            return;
        }
        _position += written;
    }

    /// <summary><c>name ": " value CRLF</c>.</summary>
    public void WriteField(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }
}
