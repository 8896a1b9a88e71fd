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
/// <param name="AdminWritten">A <c>stats admin</c> line was written (admin actions from the page are not implemented: refused).</param>
public sealed record StatsConfig(
    string Uri,
    int Refresh,
    ValueList<string> Users,
    string Realm,
    bool HideVersion,
    bool AdminWritten)
{
    public const string DefaultUri = "/haproxy?stats";

    public const string DefaultRealm = "HAProxy Statistics";

    public static StatsConfig Default { get; } = new(DefaultUri, 0, ValueList<string>.Empty, DefaultRealm, false, false);
}
