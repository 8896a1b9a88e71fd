using System.Globalization;

namespace Appliance.Routing.Patterns;

/// <summary>
/// An integer pattern: a closed range whose bounds may be open (<c>1024:</c>, <c>:1023</c>), as
/// produced by a plain value, a range, or an operator (<c>gt 3</c> is <c>4:</c>).
/// </summary>
internal readonly record struct IntegerRange(long? Min, long? Max)
{
    public bool Contains(long value) => (Min is not { } min || value >= min) && (Max is not { } max || value <= max);

    /// <summary>True for the words HAProxy accepts as integer operators.</summary>
    public static bool IsOperator(string word) => word is "eq" or "ge" or "gt" or "le" or "lt";

    /// <summary>
    /// Parses one value under the current operator: <c>eq</c> accepts a value or a range
    /// (<c>a:b</c>, <c>a:</c>, <c>:b</c>, or <c>a-b</c>); the order operators accept a single value.
    /// </summary>
    public static bool TryParse(string text, string op, out IntegerRange range, out string? error)
    {
        range = default;
        error = null;
        int separator = text.IndexOf(':');
        if (separator < 0)
        {
            int dash = text.IndexOf('-', 1 < text.Length ? 1 : 0);
            if (dash > 0) separator = dash;
        }
        if (separator >= 0)
        {
            if (op != "eq")
            {
                error = $"'{text}': a range cannot be combined with operator '{op}'";
                return false;
            }
            string low = text[..separator], high = text[(separator + 1)..];
            long? min = null, max = null;
            if (low.Length > 0)
            {
                if (!TryNumber(low, out long value)) return Invalid(text, out error);
                min = value;
            }
            if (high.Length > 0)
            {
                if (!TryNumber(high, out long value)) return Invalid(text, out error);
                max = value;
            }
            if ((min is null && max is null) || (min is { } a && max is { } b && a > b)) return Invalid(text, out error);
            range = new IntegerRange(min, max);
            return true;
        }
        if (!TryNumber(text, out long number))
        {
            error = $"'{text}' is not a number";
            return false;
        }
        range = op switch
        {
            "ge" => new IntegerRange(number, null),
            "gt" => new IntegerRange(number == long.MaxValue ? number : number + 1, null),
            "le" => new IntegerRange(null, number),
            "lt" => new IntegerRange(null, number == long.MinValue ? number : number - 1),
            _ => new IntegerRange(number, number),
        };
        return true;
    }

    private static bool TryNumber(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    private static bool Invalid(string text, out string? error)
    {
        error = $"'{text}' is not a valid number range";
        return false;
    }
}
