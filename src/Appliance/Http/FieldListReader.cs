namespace Appliance.Http;

/// <summary>
/// Reads the elements of a comma-separated field value (RFC 9110 §5.6.1) with surrounding OWS removed,
/// skipping empty elements as the list rule requires of recipients. Used for Connection and
/// Transfer-Encoding, whose elements never contain quoted commas in the forms the proxy accepts.
/// </summary>
internal ref struct FieldListReader
{
    private ReadOnlySpan<byte> _rest;
    private bool _done;

    public FieldListReader(ReadOnlySpan<byte> value)
    {
        _rest = value;
        _done = false;
    }

    public bool TryRead(out ReadOnlySpan<byte> element)
    {
        while (!_done)
        {
            ReadOnlySpan<byte> item;
            int comma = _rest.IndexOf((byte)',');
            if (comma < 0)
            {
                item = _rest;
                _rest = default;
                _done = true;
            }
            else
            {
                item = _rest[..comma];
                _rest = _rest[(comma + 1)..];
            }
            item = HttpCharacterClasses.TrimWhitespace(item);
            if (!item.IsEmpty)
            {
                element = item;
                return true;
            }
        }
        element = default;
        return false;
    }
}
