namespace Appliance.Config.Model;

/// <summary>
/// <c>deny [deny_status|status CODE] [reply options]</c>: the request is refused with
/// <see cref="Reply"/> (by default the proxy's error page for 403).
/// </summary>
public sealed record DenyAction(HttpReplyConfig Reply) : HttpRuleAction
{
    /// <summary>HAProxy's status for a deny without one.</summary>
    public const int DefaultStatus = 403;

    public override string Name => "deny";

    public override bool IsFinal => true;
}
