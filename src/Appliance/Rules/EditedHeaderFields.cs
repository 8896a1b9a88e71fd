using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Rules;

/// <summary>
/// A message's header fields as the rules evaluated so far left them: the received fields that no
/// edit removed, then the fields the edits added that no later edit removed — the order in which
/// <see cref="HeadWriter"/> writes them. HAProxy applies each rule at once, so a later rule's
/// condition or value sees the earlier rules' work; this view gives that without rewriting the head
/// per rule. One per connection, reused per message; the index table is rebuilt only after an edit and
/// grows only when a message has more fields than any before (no allocation in steady state).
/// Owned by the connection's shard thread.
/// </summary>
internal abstract class EditedHeaderFields
{
    private HeadEdits _edits = null!;
    /// <summary>Entry ≥ 0: a received field's index; entry &lt; 0: <c>~</c> an edit's index.</summary>
    private int[] _fields = new int[64];
    private int _count;
    /// <summary>The edit count <see cref="_fields"/> was built for; -1 when stale.</summary>
    private int _builtFor = -1;

    public HeadEdits Edits => _edits;

    protected abstract int ReceivedFieldCount { get; }

    protected abstract ReadOnlySpan<byte> ReceivedFieldName(int index);

    protected abstract ReadOnlySpan<byte> ReceivedFieldValue(int index);

    /// <summary>Starts a message: <paramref name="edits"/> is where this message's rules record their changes.</summary>
    protected void BeginMessage(HeadEdits edits)
    {
        _edits = edits;
        _builtFor = -1;
    }

    public int FieldCount
    {
        get
        {
            if (_edits.Count == 0) return ReceivedFieldCount;
            Refresh();
            return _count;
        }
    }

    public ReadOnlySpan<byte> FieldName(int index) => NameAt(Locate(index));

    public ReadOnlySpan<byte> FieldValue(int index) => ValueAt(Locate(index));

    /// <summary>
    /// Where field <paramref name="index"/> comes from, as a token that stays valid while further
    /// edits change the view (received bytes and the edit arena do not move during a message).
    /// </summary>
    public int Locate(int index)
    {
        if (_edits.Count == 0) return index;
        Refresh();
        return _fields[index];
    }

    public ReadOnlySpan<byte> NameAt(int located) => located >= 0 ? ReceivedFieldName(located) : _edits.NameAt(~located);

    public ReadOnlySpan<byte> ValueAt(int located) => located >= 0 ? ReceivedFieldValue(located) : _edits.ValueAt(~located);

    private void Refresh()
    {
        if (_builtFor == _edits.Count) return;
        int received = ReceivedFieldCount;
        int needed = received + _edits.Count;
        if (_fields.Length < needed) _fields = new int[Math.Max(needed, _fields.Length * 2)];
        int count = 0;
        for (int i = 0; i < received; i++)
        {
            if (!_edits.RemovesFrom(0, ReceivedFieldName(i))) _fields[count++] = i;
        }
        for (int e = 0; e < _edits.Count; e++)
        {
            if (_edits.KindAt(e) != HeadEdits.EditKind.Delete && !_edits.RemovesFrom(e + 1, _edits.NameAt(e))) _fields[count++] = ~e;
        }
        _count = count;
        _builtFor = _edits.Count;
    }
}
