using Appliance.Config.Model;
using Appliance.Routing.Acls;

namespace Appliance.Routing;

/// <summary>
/// One compiled <c>use_backend</c>: its condition (null = unconditional) and its target, either a
/// backend index resolved at compile time or a dynamic name template.
/// </summary>
internal sealed record RouteRule(Condition? Condition, int Backend, BackendNameTemplate? DynamicBackend, SourceLocation Location)
{
    public bool Matches(IRequestView request) => Condition is null || Condition.Matches(request);
}
