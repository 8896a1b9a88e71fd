namespace Appliance.Routing;

/// <summary>
/// The outcome of routing one request: the backend index (or <see cref="RouteTable.NoBackend"/>:
/// answer 503) and the index of the <c>use_backend</c> rule that decided (-1 when none matched and
/// <c>default_backend</c>, if any, applied). A matched dynamic rule whose name resolves to no backend
/// reports its rule index with the default backend, as HAProxy stops there and uses the default.
/// </summary>
public readonly record struct RouteDecision(int Backend, int Rule)
{
    public bool HasBackend => Backend >= 0;
}
