namespace Appliance.Routing.Acls;

/// <summary>One ACL reference of a condition, possibly negated with <c>!</c>.</summary>
internal readonly record struct ConditionTerm(Acl Acl, bool Negated);
