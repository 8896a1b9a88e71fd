namespace Appliance.Routing;

/// <summary>Rules that no index can answer: their conditions are evaluated one after the other.</summary>
internal sealed class OrderedRouteSegment : RouteSegment
{
    private readonly RouteRule[] _rules;

    public OrderedRouteSegment(int firstRule, RouteRule[] rules)
        : base(firstRule, firstRule + rules.Length - 1)
    {
        _rules = rules;
    }

    public override string Kind => "ordered";

    public override int FirstMatch(IRequestView request)
    {
        for (int i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Matches(request)) return FirstRule + i;
        }
        return -1;
    }
}
