namespace Appliance.Config.Values;

/// <summary>
/// HAProxy size values: a non-negative integer with an optional suffix <c>k</c>, <c>m</c> or <c>g</c>
/// (either case), each a binary multiple (1k = 1024 bytes), as HAProxy's own parser reads them.
/// </summary>
internal static class SizeValue
{
    public static bool TryParse(string text, out long bytes, out string error)
    {
        bytes = 0;
        error = string.Empty;
        if (text.Length == 0)
        {
            error = "empty size value";
            return false;
        }
        if (text[0] == '-')
        {
            error = $"negative size '{text}'";
            return false;
        }
        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits == 0)
        {
            error = $"invalid size '{text}': expected a number with an optional suffix k, m or g";
            return false;
        }
        var suffix = text.AsSpan(digits);
        int shift = suffix switch
        {
            "" => 0,
            "k" or "K" => 10,
            "m" or "M" => 20,
            "g" or "G" => 30,
            _ => -1,
        };
        if (shift < 0)
        {
            error = $"invalid suffix '{suffix}' in size '{text}' (expected k, m or g)";
            return false;
        }
        if (!long.TryParse(text.AsSpan(0, digits), out long count) || count > (long.MaxValue >> shift))
        {
            error = $"size '{text}' is too large";
            return false;
        }
        bytes = count << shift;
        return true;
    }
}
