using System.Globalization;

namespace Appliance.TestBackend;

/// <summary>A request path mapped to its <see cref="OriginRouteKind"/> and numeric argument (N, MS).</summary>
internal readonly record struct OriginRoute(OriginRouteKind Kind, long Argument)
{
    // Bounds keep a mutated or mistyped path from stalling a test for long.
    private const long MaxSlowMilliseconds = 60_000;

    public static OriginRoute Of(string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return new(OriginRouteKind.Name, 0);
        }

        return segments[0] switch
        {
            "echo" => new(OriginRouteKind.Echo, 0),
            "sha" => new(OriginRouteKind.Sha, 0),
            "close" => new(OriginRouteKind.Close, 0),
            "garbage" => new(OriginRouteKind.Garbage, 0),
            "hang" => new(OriginRouteKind.Hang, 0),
            "drop" => new(OriginRouteKind.Drop, 0),
            "ws" => new(OriginRouteKind.WebSocket, 0),
            "headers" => new(OriginRouteKind.Headers, 0),
            "stats" => new(OriginRouteKind.Stats, 0),
            "bytes" => Numbered(OriginRouteKind.Bytes, segments, 0, long.MaxValue),
            "chunked" => Numbered(OriginRouteKind.Chunked, segments, 0, long.MaxValue),
            "status" => Numbered(OriginRouteKind.Status, segments, 200, 599),
            "slow" => Numbered(OriginRouteKind.Slow, segments, 0, MaxSlowMilliseconds),
            _ => new(OriginRouteKind.Name, 0),
        };
    }

    private static OriginRoute Numbered(OriginRouteKind kind, string[] segments, long min, long max) =>
        segments.Length > 1
        && long.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out long value)
        && value >= min && value <= max
            ? new(kind, value)
            : new(OriginRouteKind.Invalid, 0);
}
