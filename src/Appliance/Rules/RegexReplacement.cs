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
        Match match = pattern.Regex.Match(System.Text.Encoding.Latin1.GetString(value));
        int length = 0;
        for (int i = 0; i < replacement.Length; i++)
        {
            length += IsGroupReference(replacement, i) ? GroupLength(match, replacement[++i]) : 1;
        }
        // Not SampleScratch: the evaluated replacement may live there.
        Span<byte> output = RuleScratch.Value(length);
        int position = 0;
        for (int i = 0; i < replacement.Length; i++)
        {
            if (!IsGroupReference(replacement, i))
            {
                output[position++] = replacement[i];
                continue;
            }
            Group group = match.Groups[replacement[++i] - '0'];
            if (!group.Success) continue;
            ReadOnlySpan<char> text = group.ValueSpan;
            for (int c = 0; c < text.Length; c++) output[position++] = (byte)text[c];
        }
        return output;
    }

    /// <summary>
    /// As <see cref="Expand"/> for a match whose group 0 is <paramref name="value"/> from
    /// <paramref name="matchStart"/> and group 1 from <paramref name="groupStart"/>, both to the end, and
    /// which has no other group (<see cref="LiteralCapturePattern"/>). Allocates nothing.
    /// </summary>
    public static ReadOnlySpan<byte> ExpandCapture(ReadOnlySpan<byte> replacement, ReadOnlySpan<byte> value, int matchStart, int groupStart)
    {
        int length = 0;
        for (int i = 0; i < replacement.Length; i++)
        {
            length += IsGroupReference(replacement, i) ? CaptureOf(value, replacement[++i], matchStart, groupStart).Length : 1;
        }
        Span<byte> output = RuleScratch.Value(length);
        int position = 0;
        for (int i = 0; i < replacement.Length; i++)
        {
            if (!IsGroupReference(replacement, i))
            {
                output[position++] = replacement[i];
                continue;
            }
            ReadOnlySpan<byte> group = CaptureOf(value, replacement[++i], matchStart, groupStart);
            group.CopyTo(output[position..]);
            position += group.Length;
        }
        return output;
    }

    private static ReadOnlySpan<byte> CaptureOf(ReadOnlySpan<byte> value, byte digit, int matchStart, int groupStart) => digit switch
    {
        (byte)'0' => value[matchStart..],
        (byte)'1' => value[groupStart..],
        _ => default,
    };

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

    private static int GroupLength(Match match, byte digit)
    {
        Group group = match.Groups[digit - '0'];
        return group.Success ? group.Length : 0;
    }
}
