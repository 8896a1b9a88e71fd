using Appliance.Config.Model;
using Appliance.Routing.Acls;
using Appliance.Routing.Samples;

namespace Appliance.Rules;

/// <summary>
/// <c>set-path FMT</c>: replaces the path of an origin- or absolute-form target; the query and any
/// <c>scheme://authority</c> stay. Targets without a path (<c>*</c>, <c>host:port</c>) are left alone,
/// as the head writer would leave them. A computed value that is not a path ('/' first, request-target
/// characters, no '?') fails the rewrite. No allocation.
/// </summary>
internal sealed class SetPathRule : CompiledRule
{
    private readonly LogFormat _path;

    public SetPathRule(Condition? condition, SourceLocation location, LogFormat path) : base(condition, location) => _path = path;

    public override RuleStep Apply(ref RuleRun run)
    {
        EditedRequestView request = run.Request!;
        if (!request.HasPath) return RuleStep.Next;
        _path.TryEvaluate(run.View, requireSamples: false, out ReadOnlySpan<byte> path);
        if (!run.Edits.TryReplacePath(path)) return RuleStep.Failed;
        request.PathReplaced();
        return RuleStep.Next;
    }
}
