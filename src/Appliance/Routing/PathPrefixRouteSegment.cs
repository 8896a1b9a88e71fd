using Appliance.Routing.Patterns;

namespace Appliance.Routing;

/// <summary>
/// Consecutive rules whose conditions are positive <c>path_beg</c> ACLs (any number of patterns,
/// with or without <c>-i</c>, possibly OR-ed): all their prefixes in one trie valued by rule index.
/// One walk down the path yields the smallest rule index among all matching prefixes — the first
/// rule that would have matched, not the longest prefix (HAProxy is first-match).
/// </summary>
internal sealed class PathPrefixRouteSegment : RouteSegment
{
    private readonly StringPatternSet _prefixes;

    public PathPrefixRouteSegment(int firstRule, int lastRule, StringPatternSet prefixes)
        : base(firstRule, lastRule)
    {
        _prefixes = prefixes;
    }

    public override string Kind => "path-prefix";

    public override int FirstMatch(IRequestView request) => _prefixes.Find(request.Path);
}
