using Appliance.Config.Model;
using Appliance.Routing.Patterns;
using Appliance.Routing.Samples;

namespace Appliance.Routing.Acls;

/// <summary>
/// One compiled <c>acl</c> line (or anonymous <c>{ … }</c> ACL): a fetch, optional converters, a
/// matching method and its patterns. It matches when any value of the sample matches any pattern
/// (HAProxy: patterns of one ACL are OR-ed, multi-valued fetches are iterated). Immutable; evaluated
/// on any shard without allocation.
/// </summary>
internal sealed class AclTest : IStringSampleSink
{
    private readonly SampleConverter[] _converters;
    private readonly StringPatternSet? _strings;
    private readonly IntegerRange[] _ranges;
    private readonly AddressPattern[] _addresses;

    public AclTest(
        SampleFetch fetch,
        SampleConverter[] converters,
        MatchMethod method,
        IReadOnlyList<StringPattern> patterns,
        StringPatternSet? strings,
        IntegerRange[] ranges,
        AddressPattern[] addresses,
        SourceLocation location)
    {
        Fetch = fetch;
        _converters = converters;
        Method = method;
        Patterns = patterns;
        _strings = strings;
        _ranges = ranges;
        _addresses = addresses;
        Location = location;
    }

    public SampleFetch Fetch { get; }

    public bool HasConverters => _converters.Length > 0;

    public MatchMethod Method { get; }

    /// <summary>The string patterns as declared (kept so a route table can re-index them per rule).</summary>
    public IReadOnlyList<StringPattern> Patterns { get; }

    public SourceLocation Location { get; }

    public bool Matches(IRequestView request)
    {
        switch (Fetch.Type)
        {
            case SampleType.String:
                return Fetch.AnyValue(request, this);
            case SampleType.Integer:
                return Fetch.TryGetInteger(request, out long number) && MatchesInteger(number);
            case SampleType.Address:
                ReadOnlySpan<byte> address = Fetch.GetAddress(request);
                if (address.IsEmpty) return false;
                if (Method == MatchMethod.Found) return true;
                foreach (AddressPattern pattern in _addresses)
                {
                    if (pattern.Matches(address)) return true;
                }
                return false;
            default:
                bool value = Fetch.GetBoolean(request);
                return Method switch
                {
                    MatchMethod.Found => true,
                    MatchMethod.Int => MatchesInteger(value ? 1 : 0),
                    _ => value,
                };
        }
    }

    /// <summary>One value of a string fetch: convert, then match.</summary>
    bool IStringSampleSink.Accept(ReadOnlySpan<byte> value)
    {
        foreach (SampleConverter converter in _converters)
        {
            if (!converter.TryConvert(value, out value)) return false;
        }
        return Method switch
        {
            MatchMethod.Found => true,
            MatchMethod.Len => MatchesInteger(value.Length),
            _ => _strings is not null && _strings.Find(value) >= 0,
        };
    }

    private bool MatchesInteger(long value)
    {
        if (Method == MatchMethod.Found) return true;
        if (Method == MatchMethod.Bool) return value != 0;
        foreach (IntegerRange range in _ranges)
        {
            if (range.Contains(value)) return true;
        }
        return false;
    }
}
