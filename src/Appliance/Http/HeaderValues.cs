namespace Appliance.Http;

/// <summary>
/// Every value of one field name in a head, in message order, without allocating:
/// <c>foreach (ReadOnlySpan&lt;byte&gt; v in head.ValuesOf(buffer, "x-forwarded-for"u8))</c>.
/// </summary>
public ref struct HeaderValues
{
    private readonly ReadOnlySpan<byte> _buffer;
    private readonly ReadOnlySpan<byte> _name;
    private readonly MessageHead _head;
    private int _index;

    internal HeaderValues(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name, MessageHead head)
    {
        _buffer = buffer;
        _name = name;
        _head = head;
        _index = -1;
    }

    public readonly HeaderValues GetEnumerator() => this;

    public bool MoveNext()
    {
        _index = _head.IndexOfHeader(_buffer, _name, _index + 1);
        return _index >= 0;
    }

    public readonly ReadOnlySpan<byte> Current => _head.Headers[_index].Value.Of(_buffer);

    /// <summary>The field index of <see cref="Current"/> in <see cref="MessageHead.Headers"/>.</summary>
    public readonly int Index => _index;
}
