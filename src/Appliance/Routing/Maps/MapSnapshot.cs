using System.Collections.Immutable;
using Appliance.Routing.Patterns;

namespace Appliance.Routing.Maps;

/// <summary>
/// One immutable version of a map's contents plus an index per matching method in use, shared
/// read-only by every shard. Which entry wins follows HAProxy: <c>map_str</c> (hash) and the list
/// kinds (<c>dom</c>, <c>end</c>, <c>sub</c>, <c>dir</c>, <c>reg</c>) return the first entry in file
/// order among the matching ones; <c>map_beg</c> (HAProxy's prefix tree) returns the longest matching
/// key.
/// </summary>
public sealed class MapSnapshot
{
    private readonly byte[][] _values;
    private readonly StringPatternSet?[] _indexes;

    private MapSnapshot(ImmutableArray<MapEntry> entries, byte[][] values, StringPatternSet?[] indexes)
    {
        Entries = entries;
        _values = values;
        _indexes = indexes;
    }

    public ImmutableArray<MapEntry> Entries { get; }

    /// <summary>Looks <paramref name="key"/> up with <paramref name="method"/>; allocation-free.</summary>
    internal bool TryLookup(MatchMethod method, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value)
    {
        StringPatternSet? index = _indexes[(int)method];
        int entry = index is null ? -1 : index.Find(key);
        value = entry >= 0 ? _values[entry] : default;
        return entry >= 0;
    }

    /// <summary>
    /// Builds a snapshot with an index for each of <paramref name="methods"/>. Fails (with a message
    /// naming the entry) only for a <c>map_reg</c> key that is not a valid regex.
    /// </summary>
    internal static MapSnapshot? TryBuild(ImmutableArray<MapEntry> entries, IReadOnlyCollection<MatchMethod> methods, out string? error)
    {
        error = null;
        var values = new byte[entries.Length][];
        var patterns = new List<StringPattern>(entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            values[i] = RoutingText.Bytes(entries[i].Value);
            patterns.Add(StringPattern.From(entries[i].Key, ignoreCase: false, order: i));
        }
        var indexes = new StringPatternSet?[Enum.GetValues<MatchMethod>().Length];
        foreach (MatchMethod method in methods)
        {
            if (method == MatchMethod.Reg)
            {
                var regexes = new List<RegexPattern>(entries.Length);
                for (int i = 0; i < entries.Length; i++)
                {
                    RegexPattern? regex = RegexPattern.TryCreate(entries[i].Key, ignoreCase: false, i, out error);
                    if (regex is null) return null;
                    regexes.Add(regex);
                }
                indexes[(int)method] = new StringPatternSet(method, [], regexes);
            }
            else
            {
                indexes[(int)method] = new StringPatternSet(method, patterns, longest: method == MatchMethod.Beg);
            }
        }
        return new MapSnapshot(entries, values, indexes);
    }
}
