namespace Appliance.Config.Model;

/// <summary>
/// One <c>http-request</c> or <c>http-response</c> line: an action and its optional <c>if|unless</c>
/// condition. Rules run in the order written, the inherited defaults section's first.
/// </summary>
public sealed record HttpRule(HttpRuleAction Action, ConditionConfig? Condition, SourceLocation Location);
