using System.Text.RegularExpressions;
using Appliance.Routing.Patterns;

namespace Appliance.Rules;

/// <summary>
/// HAProxy's regex replacement (<c>replace-header</c>, <c>replace-path</c>): the replacement text is
/// the whole new value, <c>\0</c>…<c>\9</c> standing for the groups of the regex's match on the old one.
/// </summary>
/// <remarks>
/// A replacement without group references is returned as it is. One with references needs .NET's
/// <see cref="Match"/>, which exists only over a string: it allocates that string and the match (a few
/// hundred bytes) per replaced value.
/// </remarks>
internal static class RegexReplacement
{
    /// <summary>
    /// <paramref name="replacement"/> with each <c>\N</c> replaced by group N of the match of
    /// <paramref name="pattern"/> on <paramref name="value"/> (an unmatched group is empty). The result
    /// lives in <see cref="RuleScratch"/> when it had references.
    /// </summary>
    public static ReadOnlySpan<byte> Expand(RegexPattern pattern, ReadOnlySpan<byte> replacement, ReadOnlySpan<byte> value, bool usesGroups)
    {
        if (!usesGroups) return replacement;
        // Regexes run over bytes seen as Latin-1 chars (RoutingText), so groups map back byte for byte.
        return Fill(replacement, new RegexGroups(pattern.Regex.Match(System.Text.Encoding.Latin1.GetString(value))));
    }

    /// <summary>
    /// As <see cref="Expand"/> for a match whose group 0 is <paramref name="value"/> from
    /// <paramref name="matchStart"/> and group 1 from <paramref name="groupStart"/>, both to the end, and
    /// which has no other group (<see cref="LiteralCapturePattern"/>). Allocates nothing.
    /// </summary>
    public static ReadOnlySpan<byte> ExpandCapture(ReadOnlySpan<byte> replacement, ReadOnlySpan<byte> value, int matchStart, int groupStart) =>
        Fill(replacement, new CaptureGroups(value, matchStart, groupStart));

    private static ReadOnlySpan<byte> Fill<TGroups>(ReadOnlySpan<byte> replacement, TGroups groups)
        where TGroups : IGroups, allows ref struct
    {
        int length = 0;
        for (int i = 0; i < replacement.Length; i++)
        {
            length += IsGroupReference(replacement, i) ? groups.Length(replacement[++i] - '0') : 1;
        }
        // Not SampleScratch: the evaluated replacement may live there.
        Span<byte> output = RuleScratch.Value(length);
        int position = 0;
        for (int i = 0; i < replacement.Length; i++)
        {
            if (IsGroupReference(replacement, i)) position += groups.CopyTo(replacement[++i] - '0', output[position..]);
            else output[position++] = replacement[i];
        }
        return output;
    }

    /// <summary>The groups of a match, by number (0–9); a group that did not take part is empty.</summary>
    private interface IGroups
    {
        int Length(int group);

        /// <summary>Copies the group's bytes to <paramref name="destination"/>; returns how many.</summary>
        int CopyTo(int group, Span<byte> destination);
    }

    private readonly struct RegexGroups(Match match) : IGroups
    {
        public int Length(int group) => match.Groups[group] is { Success: true } found ? found.Length : 0;

        public int CopyTo(int group, Span<byte> destination)
        {
            Group found = match.Groups[group];
            if (!found.Success) return 0;
            ReadOnlySpan<char> text = found.ValueSpan;
            for (int c = 0; c < text.Length; c++) destination[c] = (byte)text[c];
            return text.Length;
        }
    }

    private readonly ref struct CaptureGroups(ReadOnlySpan<byte> value, int matchStart, int groupStart) : IGroups
    {
        private readonly ReadOnlySpan<byte> _value = value;

        public int Length(int group) => Of(group).Length;

        public int CopyTo(int group, Span<byte> destination)
        {
            ReadOnlySpan<byte> bytes = Of(group);
            bytes.CopyTo(destination);
            return bytes.Length;
        }

        private ReadOnlySpan<byte> Of(int group) => group switch
        {
            0 => _value[matchStart..],
            1 => _value[groupStart..],
            _ => default,
        };
    }

    /// <summary>Whether <paramref name="replacement"/> refers to a group (then matches need <see cref="Match"/>).</summary>
    public static bool ReferencesGroups(string replacement)
    {
        for (int i = 0; i + 1 < replacement.Length; i++)
        {
            if (replacement[i] == '\\' && char.IsAsciiDigit(replacement[i + 1])) return true;
        }
        return false;
    }

    /// <summary><paramref name="replacement"/> without its group references (<c>\N</c>): the literal part, to check at load time.</summary>
    public static byte[] LiteralPart(ReadOnlySpan<byte> replacement)
    {
        var literal = new List<byte>(replacement.Length);
        for (int i = 0; i < replacement.Length; i++)
        {
            if (IsGroupReference(replacement, i)) i++;
            else literal.Add(replacement[i]);
        }
        return [.. literal];
    }

    private static bool IsGroupReference(ReadOnlySpan<byte> text, int index) =>
        text[index] == '\\' && index + 1 < text.Length && (uint)(text[index + 1] - '0') <= 9;
}
