namespace Appliance.Routing.Patterns;

/// <summary>
/// The delimiter set of a word match: <c>dir</c> uses '/' and '?', <c>dom</c> uses '/', '?', '.' and
/// ':' (HAProxy's <c>match_word</c> sets).
/// </summary>
internal readonly struct WordDelimiters
{
    private readonly bool _domain;

    private WordDelimiters(bool domain) => _domain = domain;

    public static WordDelimiters Directory => new(false);

    public static WordDelimiters Domain => new(true);

    public bool Contains(byte value) =>
        value == '/' || value == '?' || (_domain && (value == '.' || value == ':'));

    /// <summary>The pattern with its leading and trailing delimiters removed, as HAProxy compares it.</summary>
    public ReadOnlySpan<byte> Strip(ReadOnlySpan<byte> pattern)
    {
        int start = 0;
        int end = pattern.Length;
        while (start < end && Contains(pattern[start])) start++;
        while (end > start && Contains(pattern[end - 1])) end--;
        return pattern[start..end];
    }
}
