namespace Appliance.Config.Model;

/// <summary>
/// <c>del-header NAME [-m str|beg|end|sub|reg]</c>: removes every field whose name matches
/// <see cref="Header"/> (case-insensitively) by <see cref="Match"/>.
/// </summary>
public sealed record DeleteHeaderAction(string Header, HeaderNameMatch Match) : HttpRuleAction
{
    public override string Name => "del-header";
}
