namespace Appliance.Config.Model;

/// <summary>
/// <c>use_backend NAME [if|unless COND]</c>. <see cref="Backend"/> is either a backend name or a
/// dynamic <c>%[…]</c> expression (then <see cref="IsDynamic"/>); first matching rule wins.
/// </summary>
public sealed record UseBackendRule(string Backend, ConditionConfig? Condition, SourceLocation Location)
{
    public bool IsDynamic => Backend.Contains("%[", StringComparison.Ordinal);
}
