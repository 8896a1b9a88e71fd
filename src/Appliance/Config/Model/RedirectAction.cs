namespace Appliance.Config.Model;

/// <summary>
/// <c>redirect location|prefix|scheme TARGET [code CODE] [options]</c>: answers with a redirection
/// whose Location is built as <see cref="Kind"/> says (see <see cref="RedirectKind"/>).
/// </summary>
/// <param name="Target">The location, prefix or scheme, as log-format text.</param>
/// <param name="Code">301, 302 (the default), 303, 307 or 308.</param>
/// <param name="DropQuery">Prefix and scheme redirects leave the query string out.</param>
/// <param name="AppendSlash">Prefix and scheme redirects end the location with '/' when it does not.</param>
/// <param name="IgnoreEmpty">The rule does nothing when the evaluated target is empty.</param>
/// <param name="Cookie">A <c>Set-Cookie</c> value (already with its <c>; path=/;</c> attributes), or null.</param>
public sealed record RedirectAction(
    RedirectKind Kind,
    string Target,
    int Code = RedirectAction.DefaultCode,
    bool DropQuery = false,
    bool AppendSlash = false,
    bool IgnoreEmpty = false,
    string? Cookie = null) : HttpRuleAction
{
    public const int DefaultCode = 302;

    public override string Name => "redirect";

    public override bool IsFinal => true;
}
