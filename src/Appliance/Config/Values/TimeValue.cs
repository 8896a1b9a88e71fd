namespace Appliance.Config.Values;

/// <summary>
/// HAProxy time values: a non-negative integer with an optional unit <c>us ms s m h d</c>; without a unit
/// the value is in milliseconds. HAProxy keeps timers as signed 32-bit milliseconds, so anything above
/// 2147483647 ms (about 24.8 days) is refused as it is there.
/// </summary>
internal static class TimeValue
{
    public const long MaxMilliseconds = int.MaxValue;

    private const string UnitList = "us, ms, s, m, h or d";

    public static bool TryParse(string text, out TimeSpan value, out string error)
    {
        value = default;
        error = string.Empty;
        if (text.Length == 0)
        {
            error = "empty time value";
            return false;
        }
        if (text[0] == '-')
        {
            error = $"negative time '{text}'";
            return false;
        }
        int digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits == 0)
        {
            error = $"invalid time '{text}': expected a number with an optional unit {UnitList}";
            return false;
        }
        var unit = text.AsSpan(digits);
        long microsecondsPerUnit = unit switch
        {
            "" or "ms" => 1_000,
            "us" => 1,
            "s" => 1_000_000,
            "m" => 60_000_000,
            "h" => 3_600_000_000,
            "d" => 86_400_000_000,
            _ => 0,
        };
        if (microsecondsPerUnit == 0)
        {
            error = $"invalid unit '{unit}' in time '{text}' (expected {UnitList})";
            return false;
        }
        // Leading zeros can make the digit string long without making the value large.
        var number = text.AsSpan(0, digits).TrimStart('0');
        if (number.Length > 12 || (number.Length > 0 && long.Parse(number) * microsecondsPerUnit > MaxMilliseconds * 1_000))
        {
            error = $"time '{text}' is too large (maximum {MaxMilliseconds} ms, about 24.8 days)";
            return false;
        }
        long count = number.Length == 0 ? 0 : long.Parse(number);
        value = TimeSpan.FromMicroseconds(count * microsecondsPerUnit);
        return true;
    }
}
