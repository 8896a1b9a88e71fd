using System.Globalization;
using Appliance.Config.Model;

namespace Appliance.Config.Values;

/// <summary>
/// The codes of <c>http-check expect status</c>: one code, or a comma-separated list of codes and
/// inclusive ranges, as HAProxy reads it (<c>200</c>, <c>200,302</c>, <c>200-399</c>, <c>200-299,304</c>).
/// </summary>
internal static class StatusCodeList
{
    private const int Lowest = 100, Highest = 999;

    public static bool TryParse(string text, out ValueList<StatusCodeRange> ranges, out string error)
    {
        ranges = ValueList<StatusCodeRange>.Empty;
        error = string.Empty;
        var parsed = new List<StatusCodeRange>();
        foreach (string item in text.Split(','))
        {
            int dash = item.IndexOf('-', StringComparison.Ordinal);
            string firstText = dash < 0 ? item : item[..dash];
            string lastText = dash < 0 ? item : item[(dash + 1)..];
            if (!TryCode(firstText, out int first) || !TryCode(lastText, out int last))
            {
                error = $"invalid status code '{item}' in '{text}' (expected codes from {Lowest} to {Highest}, e.g. 200,302 or 200-399)";
                return false;
            }
            if (first > last)
            {
                error = $"invalid status code range '{item}' in '{text}': {first} is above {last}";
                return false;
            }
            parsed.Add(new StatusCodeRange(first, last));
        }
        ranges = new ValueList<StatusCodeRange>(parsed);
        return true;
    }

    private static bool TryCode(string text, out int code) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code) && code is >= Lowest and <= Highest;
}
