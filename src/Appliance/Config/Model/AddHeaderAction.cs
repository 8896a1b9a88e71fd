namespace Appliance.Config.Model;

/// <summary><c>add-header NAME FMT</c>: appends a field, keeping any existing ones.</summary>
public sealed record AddHeaderAction(string Header, string Value) : HttpRuleAction
{
    public override string Name => "add-header";
}
