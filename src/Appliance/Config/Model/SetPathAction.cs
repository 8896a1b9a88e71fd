namespace Appliance.Config.Model;

/// <summary><c>set-path FMT</c>: replaces the request path; the query string and any scheme and authority stay.</summary>
public sealed record SetPathAction(string Path) : HttpRuleAction
{
    public override string Name => "set-path";
}
