using static Appliance.Http.HttpCharacterClasses;

namespace Appliance.Http;

/// <summary>
/// Changes to apply while a head is written out: <c>http-request set-header / add-header / del-header</c>,
/// <c>set-path</c>, <c>X-Forwarded-For</c>, <c>Connection: close</c>. Edits apply in the order given, as
/// HAProxy's rules do: a delete or set removes every earlier field of that name, original or added.
/// Names and values are copied into a fixed arena allocated once, so building edits per request does not
/// allocate. One instance per connection (or shard), <see cref="Clear"/> per message.
/// </summary>
public sealed class HeadEdits
{
    private readonly byte[] _arena;
    private readonly Edit[] _edits;
    private int _arenaUsed;
    private int _count;
    private ByteRange _path;
    private bool _hasPath;

    /// <param name="arenaBytes">Room for all edited names, values and the path together.</param>
    /// <param name="maxEdits">Most edits per message.</param>
    public HeadEdits(int arenaBytes = 4096, int maxEdits = 32)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(arenaBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEdits);
        _arena = new byte[arenaBytes];
        _edits = new Edit[maxEdits];
    }

    internal enum EditKind : byte
    {
        Add,
        Set,
        Delete,
    }

    /// <summary>Write an absolute-form target as origin-form (path and query only).</summary>
    public bool UseOriginForm { get; set; }

    public int Count => _count;

    internal bool HasPath => _hasPath;

    internal ReadOnlySpan<byte> Path => _arena.AsSpan(_path.Start, _path.Length);

    public void Clear()
    {
        _arenaUsed = 0;
        _count = 0;
        _hasPath = false;
        _path = default;
        UseOriginForm = false;
    }

    /// <summary>Appends a field. False when it does not fit or the name/value is not valid field syntax.</summary>
    public bool TryAdd(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => TryRecord(EditKind.Add, name, value);

    /// <summary>Removes every field of this name, then appends it with this value.</summary>
    public bool TrySet(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => TryRecord(EditKind.Set, name, value);

    /// <summary>Removes every field of this name.</summary>
    public bool TryDelete(ReadOnlySpan<byte> name) => TryRecord(EditKind.Delete, name, default);

    /// <summary>
    /// Replaces the path of an origin- or absolute-form target (the query stays). False when it does not
    /// fit or is not a path: it must start with '/' and hold only request-target bytes without '?'.
    /// </summary>
    public bool TryReplacePath(ReadOnlySpan<byte> path)
    {
        if (path.IsEmpty || path[0] != '/' || path.ContainsAnyExcept(HttpCharacterClasses.Path)) return false;
        if (!TryCopy(path, out ByteRange range)) return false;
        _path = range;
        _hasPath = true;
        return true;
    }

    internal EditKind KindAt(int index) => _edits[index].Kind;

    internal ReadOnlySpan<byte> NameAt(int index) => _arena.AsSpan(_edits[index].Name.Start, _edits[index].Name.Length);

    internal ReadOnlySpan<byte> ValueAt(int index) => _arena.AsSpan(_edits[index].Value.Start, _edits[index].Value.Length);

    /// <summary>Whether an edit at or after <paramref name="fromIndex"/> removes fields named <paramref name="name"/>.</summary>
    internal bool RemovesFrom(int fromIndex, ReadOnlySpan<byte> name)
    {
        for (int i = fromIndex; i < _count; i++)
        {
            if (_edits[i].Kind != EditKind.Add && System.Text.Ascii.EqualsIgnoreCase(NameAt(i), name)) return true;
        }
        return false;
    }

    private bool TryRecord(EditKind kind, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        // Validated here because values can come from request data (e.g. a copied header): a CR or LF
        // would let them inject fields or a second message into the forwarded head.
        if (name.IsEmpty || name.ContainsAnyExcept(Token) || value.ContainsAnyExcept(FieldValue)) return false;
        if (_count == _edits.Length) return false;
        int mark = _arenaUsed;
        if (!TryCopy(name, out ByteRange nameRange) || !TryCopy(value, out ByteRange valueRange))
        {
            _arenaUsed = mark;
            return false;
        }
        _edits[_count++] = new Edit(kind, nameRange, valueRange);
        return true;
    }

    private bool TryCopy(ReadOnlySpan<byte> bytes, out ByteRange range)
    {
        range = default;
        if (bytes.Length > _arena.Length - _arenaUsed) return false;
        bytes.CopyTo(_arena.AsSpan(_arenaUsed));
        range = new ByteRange(_arenaUsed, bytes.Length);
        _arenaUsed += bytes.Length;
        return true;
    }

    private readonly record struct Edit(EditKind Kind, ByteRange Name, ByteRange Value);
}
