using Appliance.Routing.Maps;
using Appliance.Routing.Patterns;

namespace Appliance.Routing.Samples;

/// <summary>
/// The converter keywords this proxy implements: <c>lower</c>, <c>upper</c>, and the string maps
/// <c>map</c> (= <c>map_str</c>), <c>map_beg</c>, <c>map_dom</c>, <c>map_end</c>, <c>map_sub</c>,
/// <c>map_dir</c>, <c>map_reg</c>. Map files are loaded (once per path) through the
/// <see cref="MapRegistry"/> so that the runtime API can replace their contents later.
/// </summary>
internal static class ConverterKeywords
{
    public static SampleConverter? TryCreate(SampleCall call, string configFile, MapRegistry maps, out string? error)
    {
        error = null;
        switch (call.Name)
        {
            case "lower" or "upper":
                if (call.Arguments.Length != 0)
                {
                    error = $"converter '{call.Name}' takes no argument";
                    return null;
                }
                return call.Name == "lower" ? CaseConverter.Lower : CaseConverter.Upper;
        }
        MatchMethod? method = call.Name switch
        {
            "map" or "map_str" => MatchMethod.Str,
            "map_beg" => MatchMethod.Beg,
            "map_dom" => MatchMethod.Dom,
            "map_end" => MatchMethod.End,
            "map_sub" => MatchMethod.Sub,
            "map_dir" => MatchMethod.Dir,
            "map_reg" => MatchMethod.Reg,
            _ => null,
        };
        if (method is null)
        {
            error = $"unknown or unsupported converter '{call.Name}' (supported: lower, upper, map, map_str, map_beg, map_dom, map_end, map_sub, map_dir, map_reg)";
            return null;
        }
        if (call.Arguments.Length is < 1 or > 2 || call.Arguments[0].Length == 0)
        {
            error = $"converter '{call.Name}' expects a map file and an optional default value";
            return null;
        }
        string path = PatternFileReader.ResolvePath(configFile, call.Arguments[0]);
        MapFile? map = maps.GetOrLoad(path, method.Value, out error);
        if (map is null) return null;
        byte[]? defaultValue = call.Arguments.Length == 2 ? RoutingText.Bytes(call.Arguments[1]) : null;
        return new MapConverter(call.Name, map, method.Value, defaultValue);
    }
}
