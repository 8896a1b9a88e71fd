namespace Appliance.Routing.Patterns;

/// <summary>
/// An immutable open-addressing hash table from byte-string keys to an int (a rule or entry order),
/// looked up with a <see cref="ReadOnlySpan{T}"/> so a request's bytes are never copied or decoded.
/// With <c>ignoreCase</c> the keys are stored lower-cased and probes are folded byte by byte.
/// </summary>
/// <remarks>
/// Keys come from the configuration, never from clients, so an attacker cannot plant colliding keys;
/// probe chains stay as short as the load factor (at most 1/2) makes them.
/// </remarks>
internal sealed class ByteKeyTable
{
    private readonly byte[][] _keys;
    private readonly int[] _values;
    private readonly int _mask;
    private readonly bool _ignoreCase;

    /// <summary>
    /// Builds the table; for a key given more than once the smallest value is kept (the first in
    /// declaration order wins, as in HAProxy's ordered lists and duplicate tree nodes).
    /// </summary>
    public ByteKeyTable(IEnumerable<(byte[] Key, int Value)> entries, bool ignoreCase)
    {
        _ignoreCase = ignoreCase;
        var distinct = new List<(byte[] Key, int Value)>();
        foreach (var (key, value) in entries) distinct.Add((ignoreCase ? AsciiCase.ToLowerCopy(key) : key, value));
        int capacity = 4;
        while (capacity < distinct.Count * 2) capacity <<= 1;
        _keys = new byte[capacity][];
        _values = new int[capacity];
        _mask = capacity - 1;
        Count = 0;
        foreach (var (key, value) in distinct)
        {
            int slot = (int)Hash(key) & _mask;
            while (true)
            {
                byte[]? existing = _keys[slot];
                if (existing is null)
                {
                    _keys[slot] = key;
                    _values[slot] = value;
                    Count++;
                    break;
                }
                if (existing.AsSpan().SequenceEqual(key))
                {
                    if (value < _values[slot]) _values[slot] = value;
                    break;
                }
                slot = (slot + 1) & _mask;
            }
        }
    }

    /// <summary>Number of distinct keys.</summary>
    public int Count { get; }

    public bool IgnoreCase => _ignoreCase;

    /// <summary>The value stored for <paramref name="key"/>, or -1. Allocation-free.</summary>
    public int Find(ReadOnlySpan<byte> key)
    {
        if (Count == 0) return -1;
        int slot = (int)Hash(key) & _mask;
        while (true)
        {
            byte[]? candidate = _keys[slot];
            if (candidate is null) return -1;
            if (candidate.Length == key.Length && Matches(candidate, key)) return _values[slot];
            slot = (slot + 1) & _mask;
        }
    }

    private bool Matches(byte[] stored, ReadOnlySpan<byte> probe)
    {
        if (!_ignoreCase) return probe.SequenceEqual(stored);
        for (int i = 0; i < stored.Length; i++)
        {
            if (stored[i] != AsciiCase.Lower(probe[i])) return false;
        }
        return true;
    }

    /// <summary>FNV-1a over the (folded) bytes: short keys, no need for anything stronger.</summary>
    private uint Hash(ReadOnlySpan<byte> key)
    {
        uint hash = 2166136261;
        if (_ignoreCase)
        {
            foreach (byte b in key) hash = (hash ^ AsciiCase.Lower(b)) * 16777619;
        }
        else
        {
            foreach (byte b in key) hash = (hash ^ b) * 16777619;
        }
        // Final avalanche so that keys differing only in their last byte spread over the table.
        hash ^= hash >> 15;
        hash *= 0x2c1b3c6d;
        hash ^= hash >> 12;
        return hash;
    }
}
