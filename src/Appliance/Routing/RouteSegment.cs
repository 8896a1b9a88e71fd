namespace Appliance.Routing;

/// <summary>
/// A run of consecutive <c>use_backend</c> rules answered together: it returns the index of the
/// first rule of the run (in declaration order) whose condition holds, or -1. The route table asks
/// its segments in order, which keeps HAProxy's first-match semantics across segments.
/// </summary>
internal abstract class RouteSegment
{
    protected RouteSegment(int firstRule, int lastRule)
    {
        FirstRule = firstRule;
        LastRule = lastRule;
    }

    public int FirstRule { get; }

    public int LastRule { get; }

    /// <summary>What the segment is, for tests and <c>show</c> output.</summary>
    public abstract string Kind { get; }

    public abstract int FirstMatch(IRequestView request);
}
