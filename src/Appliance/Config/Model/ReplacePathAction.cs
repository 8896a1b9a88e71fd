namespace Appliance.Config.Model;

/// <summary>
/// <c>replace-path REGEX REPLACEMENT</c>: when the regex matches the request's path (unanchored,
/// case-sensitive), the replacement becomes the whole new path, <c>\1</c>…<c>\9</c> standing for the
/// regex's groups; the query string and any scheme and authority stay (HAProxy 2.2+).
/// </summary>
public sealed record ReplacePathAction(string Pattern, string Replacement) : HttpRuleAction
{
    public override string Name => "replace-path";
}
