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
/// match runs over the shard's scratch chars); a matching field costs what <see cref="RegexReplacement"/> says.
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
            if (_pattern.IsMatch(value)) value = RegexReplacement.Expand(_pattern, replacement, value, _usesGroups);
            if (!run.Edits.TryAdd(fields.NameAt(located), value)) return RuleStep.Failed;
        }
        return RuleStep.Next;
    }
}
