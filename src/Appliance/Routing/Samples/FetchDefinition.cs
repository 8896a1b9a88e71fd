using Appliance.Routing.Patterns;

namespace Appliance.Routing.Samples;

/// <summary>
/// A fetch keyword resolved for use in an ACL: the fetch itself and the matching method it implies
/// (<c>path_beg</c> = <c>path</c> + <c>beg</c>). <paramref name="IgnoreCase"/> is set for <c>method</c>,
/// whose ACL compares methods case-insensitively.
/// </summary>
internal sealed record FetchDefinition(SampleFetch Fetch, MatchMethod DefaultMethod, bool IgnoreCase = false);
