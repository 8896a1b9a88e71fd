using Appliance.Config.Model;
using Appliance.Routing.Acls;

namespace Appliance.Rules;

/// <summary><c>allow</c>: skips the rest of this section's rules (the next section's still run).</summary>
internal sealed class AllowRule : CompiledRule
{
    public AllowRule(Condition? condition, SourceLocation location) : base(condition, location)
    {
    }

    public override RuleStep Apply(ref RuleRun run) => RuleStep.StopSection;
}
