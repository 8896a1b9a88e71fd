namespace Appliance.Config.Keywords;

/// <summary>
/// A section family's keywords, looked up by their first one or two words (two first, so
/// <c>stats socket</c> wins over a one-word <c>stats</c>), then by prefix (<c>tune.</c>).
/// </summary>
internal sealed class KeywordTable<TSection>
{
    private readonly Dictionary<string, KeywordSpec<TSection>> _byName = new(StringComparer.Ordinal);
    private readonly List<KeywordSpec<TSection>> _prefixes = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    public KeywordTable(IEnumerable<KeywordSpec<TSection>> specs)
    {
        var all = new List<KeywordSpec<TSection>>();
        foreach (var spec in specs)
        {
            all.Add(spec);
            if (spec.IsPrefix)
            {
                _prefixes.Add(spec);
                continue;
            }
            // A duplicate is a bug in the table itself, caught by the first test that loads any config.
            if (!_byName.TryAdd(spec.Name, spec)) throw new InvalidOperationException($"keyword '{spec.Name}' is listed twice");
            int space = spec.Name.IndexOf(' ');
            if (space > 0) _families.Add(spec.Name[..space]);
        }
        Specs = all;
    }

    public IReadOnlyList<KeywordSpec<TSection>> Specs { get; }

    /// <summary>Finds the keyword at <paramref name="start"/>; <paramref name="wordCount"/> is how many words its name took.</summary>
    public KeywordSpec<TSection>? Find(string[] words, int start, out int wordCount)
    {
        wordCount = 0;
        if (start >= words.Length) return null;
        if (start + 1 < words.Length && _byName.TryGetValue(words[start] + " " + words[start + 1], out var pair))
        {
            wordCount = 2;
            return pair;
        }
        if (_byName.TryGetValue(words[start], out var single))
        {
            wordCount = 1;
            return single;
        }
        foreach (var prefix in _prefixes)
        {
            if (words[start].StartsWith(prefix.Name, StringComparison.Ordinal))
            {
                wordCount = 1;
                return prefix;
            }
        }
        return null;
    }

    /// <summary>The word starts two-word keywords only (<c>timeout</c>, <c>option</c>).</summary>
    public bool IsFamily(string word) => _families.Contains(word) && !_byName.ContainsKey(word);

    /// <summary>True when any keyword of the table starts with this word, whatever its section.</summary>
    public bool Knows(string word)
    {
        if (_byName.ContainsKey(word) || _families.Contains(word)) return true;
        foreach (var prefix in _prefixes)
        {
            if (word.StartsWith(prefix.Name, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>First words of the keywords allowed in <paramref name="kind"/>: what "did you mean" searches.</summary>
    public IEnumerable<string> FirstWords(SectionKinds kind)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in Specs)
        {
            if (spec.IsPrefix || !spec.IsAllowedIn(kind)) continue;
            int space = spec.Name.IndexOf(' ');
            var first = space > 0 ? spec.Name[..space] : spec.Name;
            if (seen.Add(first)) yield return first;
        }
    }

    /// <summary>Second words of the <paramref name="family"/> keywords allowed in <paramref name="kind"/>.</summary>
    public IEnumerable<string> FamilyMembers(string family, SectionKinds kind)
    {
        var head = family + " ";
        foreach (var spec in Specs)
        {
            if (spec.IsAllowedIn(kind) && spec.Name.StartsWith(head, StringComparison.Ordinal)) yield return spec.Name[head.Length..];
        }
    }
}
