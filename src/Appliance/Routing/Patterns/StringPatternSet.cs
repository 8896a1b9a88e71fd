namespace Appliance.Routing.Patterns;

/// <summary>
/// An immutable, indexed set of string patterns for one matching method. A lookup returns the
/// <see cref="StringPattern.Order"/> of the winning pattern, or -1:
/// <list type="bullet">
/// <item>for ACLs any match will do (<c>stopAtFirst</c>);</item>
/// <item>for first-match route segments and list-based maps the smallest order among all matching
///   patterns wins (declaration order);</item>
/// <item>for <c>map_beg</c> the longest matching prefix wins (HAProxy keeps prefixes in a longest-match
///   tree), ties broken by order.</item>
/// </list>
/// Exact strings live in hash tables, prefixes/suffixes/words/substrings in tries, so the cost of a
/// lookup depends on the sample's length, not on the number of patterns (regexes excepted: one
/// search per regex, in order). Case-sensitive and case-insensitive patterns are indexed apart and
/// both are consulted.
/// </summary>
internal sealed class StringPatternSet
{
    private readonly MatchMethod _method;
    private readonly bool _stopAtFirst;
    private readonly bool _longest;
    private readonly ByteKeyTable? _exact;
    private readonly ByteKeyTable? _exactIgnoreCase;
    private readonly ByteTrie? _trie;
    private readonly ByteTrie? _trieIgnoreCase;
    private readonly RegexPattern[] _regexes;

    /// <param name="method">One of Str, Beg, End, Sub, Dir, Dom, Reg.</param>
    /// <param name="patterns">The patterns (regexes are passed apart, already compiled).</param>
    /// <param name="regexes">For <see cref="MatchMethod.Reg"/>: compiled regexes in order.</param>
    /// <param name="stopAtFirst">Any match is enough (ACL use): lets walks stop early.</param>
    /// <param name="longest">Prefix lookups return the longest match (<c>map_beg</c>).</param>
    public StringPatternSet(
        MatchMethod method,
        IReadOnlyList<StringPattern> patterns,
        IReadOnlyList<RegexPattern>? regexes = null,
        bool stopAtFirst = false,
        bool longest = false)
    {
        _method = method;
        _stopAtFirst = stopAtFirst;
        _longest = longest;
        _regexes = regexes is null ? [] : [.. regexes];
        Count = method == MatchMethod.Reg ? _regexes.Length : patterns.Count;

        var sensitive = new List<(byte[] Key, int Value)>();
        var insensitive = new List<(byte[] Key, int Value)>();
        foreach (StringPattern pattern in patterns)
        {
            byte[] key = pattern.Bytes;
            if (method is MatchMethod.Dir or MatchMethod.Dom)
            {
                // An all-delimiter pattern has nothing left to compare: it never matches.
                ReadOnlySpan<byte> stripped = Delimiters.Strip(key);
                if (stripped.IsEmpty) continue;
                key = stripped.ToArray();
            }
            (pattern.IgnoreCase ? insensitive : sensitive).Add((key, pattern.Order));
        }

        switch (method)
        {
            case MatchMethod.Str:
                if (sensitive.Count > 0) _exact = new ByteKeyTable(sensitive, ignoreCase: false);
                if (insensitive.Count > 0) _exactIgnoreCase = new ByteKeyTable(insensitive, ignoreCase: true);
                break;
            case MatchMethod.Beg or MatchMethod.Sub or MatchMethod.Dir or MatchMethod.Dom or MatchMethod.End:
                bool reversed = method == MatchMethod.End;
                if (sensitive.Count > 0) _trie = new ByteTrie(sensitive, ignoreCase: false, reversed);
                if (insensitive.Count > 0) _trieIgnoreCase = new ByteTrie(insensitive, ignoreCase: true, reversed);
                break;
            case MatchMethod.Reg:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "not a string matching method");
        }
    }

    public MatchMethod Method => _method;

    /// <summary>Number of patterns (after dropping the ones that can never match).</summary>
    public int Count { get; }

    public bool IsEmpty => Count == 0;

    /// <summary>Order of the winning pattern for <paramref name="sample"/>, or -1. Allocation-free.</summary>
    public int Find(ReadOnlySpan<byte> sample)
    {
        switch (_method)
        {
            case MatchMethod.Str:
                return Min(_exact?.Find(sample) ?? -1, _exactIgnoreCase?.Find(sample) ?? -1);
            case MatchMethod.Beg:
                return _longest ? Longest(sample) : Min(_trie?.MinAlongPrefix(sample) ?? -1, _trieIgnoreCase?.MinAlongPrefix(sample) ?? -1);
            case MatchMethod.End:
                return Min(_trie?.MinAlongSuffix(sample) ?? -1, _trieIgnoreCase?.MinAlongSuffix(sample) ?? -1);
            case MatchMethod.Sub:
                return FirstOf(
                    _trie?.MinAnywhere(sample, _stopAtFirst) ?? -1,
                    _trieIgnoreCase is null ? -1 : _trieIgnoreCase.MinAnywhere(sample, _stopAtFirst));
            case MatchMethod.Dir:
            case MatchMethod.Dom:
                WordDelimiters delimiters = Delimiters;
                int found = _trie?.MinAlongWords(sample, delimiters, _stopAtFirst) ?? -1;
                if (found >= 0 && _stopAtFirst) return found;
                return Min(found, _trieIgnoreCase?.MinAlongWords(sample, delimiters, _stopAtFirst) ?? -1);
            case MatchMethod.Reg:
                // Regexes are kept in order, so the first that matches has the smallest order.
                foreach (RegexPattern regex in _regexes)
                {
                    if (regex.IsMatch(sample)) return regex.Order;
                }
                return -1;
            default:
                return -1;
        }
    }

    private WordDelimiters Delimiters => _method == MatchMethod.Dom ? WordDelimiters.Domain : WordDelimiters.Directory;

    private int FirstOf(int sensitive, int insensitive) =>
        _stopAtFirst && sensitive >= 0 ? sensitive : Min(sensitive, insensitive);

    private int Longest(ReadOnlySpan<byte> sample)
    {
        int sensitive = -1, sensitiveLength = -1;
        int insensitive = -1, insensitiveLength = -1;
        if (_trie is not null) sensitive = _trie.LongestAlongPrefix(sample, out sensitiveLength);
        if (_trieIgnoreCase is not null) insensitive = _trieIgnoreCase.LongestAlongPrefix(sample, out insensitiveLength);
        if (sensitive < 0) return insensitive;
        if (insensitive < 0) return sensitive;
        if (sensitiveLength != insensitiveLength) return sensitiveLength > insensitiveLength ? sensitive : insensitive;
        return Math.Min(sensitive, insensitive);
    }

    private static int Min(int a, int b)
    {
        if (a < 0) return b;
        if (b < 0) return a;
        return a < b ? a : b;
    }
}
