namespace Appliance.Config.Model;

/// <summary><c>allow</c>: stops this section's rules; the message goes on (the next section's rules still run).</summary>
public sealed record AllowAction : HttpRuleAction
{
    public override string Name => "allow";

    public override bool IsFinal => true;
}
