namespace Appliance.Config.Keywords;

/// <summary>
/// "Did you mean" by edit distance (Levenshtein with adjacent transpositions, case-insensitive): a typo
/// is usually one or two slips, so only candidates that close are offered.
/// </summary>
internal static class KeywordSuggestion
{
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        int limit = word.Length <= 4 ? 1 : 2;
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int distance = Distance(word, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>Appends <c>; did you mean 'X'?</c> when a candidate is close enough.</summary>
    public static string WithSuggestion(string message, string word, IEnumerable<string> candidates)
    {
        var closest = Closest(word, candidates);
        return closest is null ? message : $"{message}; did you mean '{closest}'?";
    }

    internal static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }
                current[j] = value;
            }
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}
