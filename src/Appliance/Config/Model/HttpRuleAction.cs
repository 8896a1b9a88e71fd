namespace Appliance.Config.Model;

/// <summary>
/// What an <c>http-request</c> / <c>http-response</c> rule does. Values that HAProxy reads as
/// log-format text (<c>%[…]</c>) are kept as written; the rules compiler turns them into templates.
/// </summary>
public abstract record HttpRuleAction
{
    /// <summary>The action word as written in the configuration (<c>set-header</c>, <c>deny</c>, …).</summary>
    public abstract string Name { get; }

    /// <summary>The rule ends the evaluation of its section (deny, return, redirect, allow).</summary>
    public virtual bool IsFinal => false;
}
