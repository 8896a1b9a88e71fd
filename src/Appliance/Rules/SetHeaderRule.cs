using Appliance.Config.Model;
using Appliance.Routing.Acls;
using Appliance.Routing.Samples;

namespace Appliance.Rules;

/// <summary>
/// <c>set-header</c> / <c>add-header</c>: the value is computed first (so it may read the field it
/// replaces, as HAProxy allows), then recorded as an edit. The value lives in the shard's scratch until
/// <see cref="Http.HeadEdits"/> copies it into its arena: no allocation.
/// </summary>
internal sealed class SetHeaderRule : CompiledRule
{
    private readonly byte[] _name;
    private readonly LogFormat _value;
    private readonly bool _add;

    public SetHeaderRule(Condition? condition, SourceLocation location, byte[] name, LogFormat value, bool add)
        : base(condition, location)
    {
        _name = name;
        _value = value;
        _add = add;
    }

    public override RuleStep Apply(ref RuleRun run)
    {
        _value.TryEvaluate(run.View, requireSamples: false, out ReadOnlySpan<byte> value);
        bool recorded = _add ? run.Edits.TryAdd(_name, value) : run.Edits.TrySet(_name, value);
        return recorded ? RuleStep.Next : RuleStep.Failed;
    }
}
