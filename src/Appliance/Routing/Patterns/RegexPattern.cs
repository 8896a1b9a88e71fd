using System.Text.RegularExpressions;

namespace Appliance.Routing.Patterns;

/// <summary>
/// A compiled regular expression that cannot hang a shard: the linear-time non-backtracking engine
/// when the pattern allows it, otherwise the backtracking interpreter bounded by a match timeout
/// (a timed-out match counts as "no match").
/// </summary>
internal sealed class RegexPattern
{
    /// <summary>
    /// Bound for the backtracking fallback (patterns with backreferences or lookarounds only): long
    /// enough for any sane header or path, short enough that a pathological pattern costs a shard
    /// one request's worth of latency, not a stall.
    /// </summary>
    private static readonly TimeSpan BacktrackingTimeout = TimeSpan.FromMilliseconds(10);

    private readonly Regex _regex;

    private RegexPattern(Regex regex, int order)
    {
        _regex = regex;
        Order = order;
    }

    public int Order { get; }

    /// <summary>The compiled expression, for callers that need its groups (over text built like <see cref="IsMatch"/>'s input).</summary>
    public Regex Regex => _regex;

    /// <summary>Compiles <paramref name="text"/>; on failure returns null and a message for a diagnostic.</summary>
    public static RegexPattern? TryCreate(string text, bool ignoreCase, int order, out string? error)
    {
        RegexOptions options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        error = null;
        try
        {
            return new RegexPattern(new Regex(RoutingText.RegexSource(text), options | RegexOptions.NonBacktracking), order);
        }
        catch (NotSupportedException)
        {
            // Backreferences, lookarounds, atomic groups: valid, but only the backtracking engine runs them.
        }
        catch (ArgumentException ex)
        {
            error = $"invalid regex '{text}': {ex.Message}";
            return null;
        }
        try
        {
            return new RegexPattern(new Regex(RoutingText.RegexSource(text), options, BacktrackingTimeout), order);
        }
        catch (ArgumentException ex)
        {
            error = $"invalid regex '{text}': {ex.Message}";
            return null;
        }
    }

    /// <summary>Unanchored search of the bytes, one char per byte, in the shard's scratch chars.</summary>
    public bool IsMatch(ReadOnlySpan<byte> input)
    {
        Span<char> chars = SampleScratch.Chars(input.Length);
        for (int i = 0; i < input.Length; i++) chars[i] = (char)input[i];
        try
        {
            return _regex.IsMatch(chars);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
