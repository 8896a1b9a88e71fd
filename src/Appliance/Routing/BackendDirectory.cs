using Appliance.Routing.Patterns;

namespace Appliance.Routing;

/// <summary>
/// The caller's backends by name → index (the index of the backend in the worker's backend array).
/// Static <c>use_backend</c> names are resolved once at compile time; dynamic names (<c>%[…]</c>) are
/// resolved per request from bytes, with no string created. Names are case-sensitive, as in HAProxy.
/// Immutable; shared by all shards.
/// </summary>
public sealed class BackendDirectory
{
    private readonly string[] _names;
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly ByteKeyTable _byBytes;

    /// <param name="names">Backend names; a name's position is its index. For a duplicated name the first wins.</param>
    public BackendDirectory(IEnumerable<string> names)
    {
        _names = [.. names];
        var keys = new List<(byte[] Key, int Value)>(_names.Length);
        for (int i = 0; i < _names.Length; i++)
        {
            _byName.TryAdd(_names[i], i);
            keys.Add((RoutingText.Bytes(_names[i]), i));
        }
        _byBytes = new ByteKeyTable(keys, ignoreCase: false);
    }

    public int Count => _names.Length;

    public string this[int index] => _names[index];

    public bool TryResolve(string name, out int index) => _byName.TryGetValue(name, out index);

    /// <summary>Index of the backend named by <paramref name="name"/> (UTF-8 bytes), or -1. Allocation-free.</summary>
    public int Find(ReadOnlySpan<byte> name) => _byBytes.Find(name);
}
