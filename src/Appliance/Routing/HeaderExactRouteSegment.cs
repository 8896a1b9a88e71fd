using Appliance.Routing.Patterns;

namespace Appliance.Routing;

/// <summary>
/// Consecutive rules whose conditions are positive exact-match ACLs on the same header — typically
/// <c>hdr(host) -i NAME</c> — as hash tables from value to rule index. Like HAProxy's ACL, every value
/// of the header is looked up (there is normally one); the smallest rule index wins. Values are
/// compared whole: <c>hdr(host)</c> includes any <c>:port</c> the client sent, exactly as HAProxy.
/// </summary>
internal sealed class HeaderExactRouteSegment : RouteSegment
{
    private readonly byte[] _header;
    private readonly StringPatternSet _values;

    public HeaderExactRouteSegment(int firstRule, int lastRule, byte[] header, StringPatternSet values)
        : base(firstRule, lastRule)
    {
        _header = header;
        _values = values;
    }

    public override string Kind => "header-exact";

    public override int FirstMatch(IRequestView request)
    {
        int best = -1;
        foreach (ReadOnlySpan<byte> value in HeaderValues.Enumerate(request, _header))
        {
            int rule = _values.Find(value);
            if (rule >= 0 && (best < 0 || rule < best))
            {
                best = rule;
                if (best == FirstRule) break;
            }
        }
        return best;
    }
}
