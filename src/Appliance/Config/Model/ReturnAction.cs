namespace Appliance.Config.Model;

/// <summary><c>return [status CODE] [content-type TYPE] [string S | file F | errorfile F | default-errorfiles] [hdr N V]*</c>.</summary>
public sealed record ReturnAction(HttpReplyConfig Reply) : HttpRuleAction
{
    /// <summary>HAProxy's status for a return without one.</summary>
    public const int DefaultStatus = 200;

    public override string Name => "return";

    public override bool IsFinal => true;
}
