using Appliance.Config.Model;
using Appliance.Routing.Acls;

namespace Appliance.Rules;

/// <summary>
/// One compiled <c>http-request</c>/<c>http-response</c> rule: its condition and its action. Immutable,
/// shared by all shards; <see cref="Apply"/> must not allocate on the common path (each action says
/// where it may).
/// </summary>
internal abstract class CompiledRule
{
    protected CompiledRule(Condition? condition, SourceLocation location)
    {
        Condition = condition;
        Location = location;
    }

    /// <summary>Null: the rule always applies.</summary>
    public Condition? Condition { get; }

    public SourceLocation Location { get; }

    /// <summary>Runs the action (the condition already held). Precondition: the caller's shard thread.</summary>
    public abstract RuleStep Apply(ref RuleRun run);
}
