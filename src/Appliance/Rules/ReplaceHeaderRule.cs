using System.Text.RegularExpressions;
using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Routing.Acls;
using Appliance.Routing.Patterns;
using Appliance.Routing.Samples;

namespace Appliance.Rules;

/// <summary>
/// <c>replace-header NAME REGEX REPLACEMENT</c>: every field NAME whose value the regex matches
/// (unanchored) gets the replacement as its whole new value, <c>\0</c>…<c>\9</c> standing for the
/// regex's groups (HAProxy's semantics). The fields of that name are deleted and added back in order,
/// replaced or not, so they move after the other fields.
/// </summary>
/// <remarks>
/// Allocation: the common case — no field of that name, or none matching — allocates nothing (the
/// match runs over the shard's scratch chars). A replacement that uses groups needs .NET's
/// <see cref="Match"/>, which exists only over a string: each matching field then allocates that
/// string and the match (a few hundred bytes). A replacement without groups never does.
/// </remarks>
internal sealed class ReplaceHeaderRule : CompiledRule
{
    private const int StackFields = 256;

    private readonly byte[] _name;
    private readonly RegexPattern _pattern;
    private readonly LogFormat _replacement;
    private readonly bool _usesGroups;

    public ReplaceHeaderRule(Condition? condition, SourceLocation location, byte[] name, RegexPattern pattern, LogFormat replacement, bool usesGroups)
        : base(condition, location)
    {
        _name = name;
        _pattern = pattern;
        _replacement = replacement;
        _usesGroups = usesGroups;
    }

    public override RuleStep Apply(ref RuleRun run)
    {
        EditedHeaderFields fields = run.Fields;
        int count = fields.FieldCount;
        Span<int> named = count <= StackFields ? stackalloc int[count] : new int[count];
        int found = 0;
        bool anyMatch = false;
        for (int i = 0; i < count; i++)
        {
            if (!HeaderValues.NameEquals(fields.FieldName(i), _name)) continue;
            named[found++] = fields.Locate(i);
            anyMatch = anyMatch || _pattern.IsMatch(fields.FieldValue(i));
        }
        if (!anyMatch) return RuleStep.Next;

        // The replacement text is computed once, before the edits change the view (like HAProxy's format).
        _replacement.TryEvaluate(run.View, requireSamples: false, out ReadOnlySpan<byte> evaluated);
        return Rewrite(ref run, fields, named[..found], evaluated);
    }

    private RuleStep Rewrite(ref RuleRun run, EditedHeaderFields fields, scoped ReadOnlySpan<int> named, scoped ReadOnlySpan<byte> replacement)
    {
        if (!run.Edits.TryDelete(_name)) return RuleStep.Failed;
        foreach (int located in named)
        {
            scoped ReadOnlySpan<byte> value = fields.ValueAt(located);
            if (_pattern.IsMatch(value)) value = Expand(replacement, value);
            if (!run.Edits.TryAdd(fields.NameAt(located), value)) return RuleStep.Failed;
        }
        return RuleStep.Next;
    }

    /// <summary>The replacement with <c>\N</c> replaced by group N of the match on <paramref name="value"/>.</summary>
    private ReadOnlySpan<byte> Expand(ReadOnlySpan<byte> replacement, ReadOnlySpan<byte> value)
    {
        if (!_usesGroups) return replacement;
        // Regexes run over bytes seen as Latin-1 chars (RoutingText), so groups map back byte for byte.
        Match match = _pattern.Regex.Match(System.Text.Encoding.Latin1.GetString(value));
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

    private static bool IsGroupReference(ReadOnlySpan<byte> text, int index) =>
        text[index] == '\\' && index + 1 < text.Length && (uint)(text[index + 1] - '0') <= 9;

    private static int GroupLength(Match match, byte digit)
    {
        Group group = match.Groups[digit - '0'];
        return group.Success ? group.Length : 0;
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
}
