namespace Appliance.Config.Model;

/// <summary>
/// The statistics page of a proxy (<c>stats enable|uri|refresh|auth|realm|hide-version|admin</c>), as
/// HAProxy: any of these lines enables it with the defaults of the others.
/// </summary>
/// <param name="Uri">The URI prefix the page answers (HAProxy's default <c>/haproxy?stats</c>).</param>
/// <param name="Refresh">Seconds between automatic reloads of the page (meta refresh); 0 = none.</param>
/// <param name="Users">Accepted <c>user:password</c> pairs; empty = no authentication.</param>
/// <param name="Realm">The Basic authentication realm.</param>
/// <param name="HideVersion">Leaves the version out of the page.</param>
/// <param name="Admin">
/// <c>stats admin if|unless COND</c>: requests for which the condition holds may change servers' admin
/// state from the page (POST, as HAProxy's form); null = read-only.
/// </param>
/// <param name="AdminLocation">Where the <c>stats admin</c> line is (its condition is compiled with the proxy's ACLs).</param>
public sealed record StatsConfig(
    string Uri,
    int Refresh,
    ValueList<string> Users,
    string Realm,
    bool HideVersion,
    ConditionConfig? Admin,
    SourceLocation? AdminLocation = null)
{
    public const string DefaultUri = "/haproxy?stats";

    public const string DefaultRealm = "HAProxy Statistics";

    public static StatsConfig Default { get; } = new(DefaultUri, 0, ValueList<string>.Empty, DefaultRealm, false, null);
}
