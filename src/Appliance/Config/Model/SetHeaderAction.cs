namespace Appliance.Config.Model;

/// <summary><c>set-header NAME FMT</c>: removes every field named <see cref="Header"/>, then appends one with the value.</summary>
public sealed record SetHeaderAction(string Header, string Value) : HttpRuleAction
{
    public override string Name => "set-header";
}
