using Appliance.Config.Model;
using Appliance.Routing.Acls;
using Appliance.Routing.Patterns;
using Appliance.Routing.Samples;

namespace Appliance.Rules;

/// <summary>
/// <c>replace-path REGEX REPLACEMENT</c>: a path the regex matches is replaced whole by the replacement,
/// its <c>\N</c> filled from the match (HAProxy's <c>replace-header</c> semantics on the path). As for
/// <c>set-path</c>, targets without a path (<c>*</c>, <c>host:port</c>) are left alone and a result
/// that is not a path fails the rewrite. Nothing allocates when the path does not match, when the
/// replacement has no group reference, or when the regex is a literal and a rest-of-path group
/// (<see cref="LiteralCapturePattern"/>, the usual prefix rewrite); otherwise see <see cref="RegexReplacement"/>.
/// </summary>
internal sealed class ReplacePathRule : CompiledRule
{
    private readonly RegexPattern _pattern;
    private readonly LogFormat _replacement;
    private readonly bool _usesGroups;
    /// <summary>The regex as a literal and a rest-of-path group, when it is one: then nothing allocates.</summary>
    private readonly LiteralCapturePattern? _literal;

    public ReplacePathRule(Condition? condition, SourceLocation location, string patternText, RegexPattern pattern, LogFormat replacement, bool usesGroups)
        : base(condition, location)
    {
        _pattern = pattern;
        _replacement = replacement;
        _usesGroups = usesGroups;
        _literal = LiteralCapturePattern.TryRecognise(patternText);
    }

    public override RuleStep Apply(ref RuleRun run)
    {
        EditedRequestView request = run.Request!;
        if (!request.HasPath) return RuleStep.Next;
        ReadOnlySpan<byte> path = request.Path;
        int matchStart = 0, groupStart = 0;
        if (_literal is not null ? !_literal.TryMatch(path, out matchStart, out groupStart) : !_pattern.IsMatch(path)) return RuleStep.Next;
        _replacement.TryEvaluate(run.View, requireSamples: false, out ReadOnlySpan<byte> evaluated);
        ReadOnlySpan<byte> replaced = _literal is not null
            ? RegexReplacement.ExpandCapture(evaluated, path, matchStart, groupStart)
            : RegexReplacement.Expand(_pattern, evaluated, path, _usesGroups);
        if (!run.Edits.TryReplacePath(replaced)) return RuleStep.Failed;
        request.PathReplaced();
        return RuleStep.Next;
    }
}
