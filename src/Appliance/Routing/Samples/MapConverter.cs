using Appliance.Routing.Maps;
using Appliance.Routing.Patterns;

namespace Appliance.Routing.Samples;

/// <summary>
/// <c>map(FILE[,DEFAULT])</c> and <c>map_str/beg/dom/end/sub/dir/reg</c>: looks the sample up in the
/// map's current snapshot (one <see cref="System.Threading.Volatile"/> read, so a runtime
/// <c>set map</c> is seen by the next request) and returns the entry's value, else the default, else
/// fails.
/// </summary>
internal sealed class MapConverter : SampleConverter
{
    private readonly MatchMethod _method;
    private readonly byte[]? _default;

    public MapConverter(string keyword, MapFile map, MatchMethod method, byte[]? defaultValue)
    {
        Keyword = keyword;
        Map = map;
        _method = method;
        _default = defaultValue;
    }

    public override string Keyword { get; }

    public MapFile Map { get; }

    public override bool TryConvert(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> output)
    {
        if (Map.Current.TryLookup(_method, input, out output)) return true;
        output = _default;
        return _default is not null;
    }
}
