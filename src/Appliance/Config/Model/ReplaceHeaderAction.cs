namespace Appliance.Config.Model;

/// <summary>
/// <c>replace-header NAME REGEX REPLACEMENT</c>: each field named <see cref="Header"/> whose whole
/// value the regex matches (unanchored, case-sensitive) gets the replacement as its new value, with
/// <c>\1</c>…<c>\9</c> standing for the regex's groups. The value is one line, commas included.
/// </summary>
public sealed record ReplaceHeaderAction(string Header, string Pattern, string Replacement) : HttpRuleAction
{
    public override string Name => "replace-header";
}
