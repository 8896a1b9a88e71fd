namespace Appliance.Routing;

/// <summary>
/// Walks the values of one header name (see <see cref="HeaderValues"/>) without allocating.
/// </summary>
public ref struct HeaderValueEnumerator
{
    private readonly IRequestView _request;
    private readonly ReadOnlySpan<byte> _name;
    private readonly bool _splitCommas;
    private int _field;
    private int _offset;
    private ReadOnlySpan<byte> _current;

    public HeaderValueEnumerator(IRequestView request, ReadOnlySpan<byte> name, bool splitCommas)
    {
        _request = request;
        _name = name;
        _splitCommas = splitCommas;
        _field = -1;
        _offset = -1;
        _current = default;
    }

    public readonly ReadOnlySpan<byte> Current => _current;

    public readonly HeaderValueEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_offset < 0)
        {
            // Find the next field carrying the name (an empty name selects every field).
            int count = _request.HeaderFieldCount;
            _field++;
            while (_field < count && !(_name.IsEmpty || HeaderValues.NameEquals(_request.HeaderFieldName(_field), _name))) _field++;
            if (_field >= count)
            {
                _field = count;
                return false;
            }
            _offset = 0;
        }
        ReadOnlySpan<byte> field = _request.HeaderFieldValue(_field);
        if (!_splitCommas)
        {
            _current = field;
            _offset = -1;
            return true;
        }
        int end = HeaderValues.ValueEnd(field, _offset);
        _current = HeaderValues.Trim(field[_offset..end]);
        _offset = end < field.Length ? end + 1 : -1;
        return true;
    }
}
