namespace Appliance.Config.Values;

/// <summary>Plain decimal integers with an inclusive range, the form every count in the dialect takes.</summary>
internal static class IntegerValue
{
    public static bool TryParse(string text, int min, int max, out int value, out string error)
    {
        value = 0;
        error = string.Empty;
        bool negative = text.StartsWith('-');
        var digits = negative ? text.AsSpan(1) : text.AsSpan();
        if (digits.Length == 0 || !IsAllDigits(digits))
        {
            error = $"invalid number '{text}'";
            return false;
        }
        if (!long.TryParse(text, out long parsed) || parsed < min || parsed > max)
        {
            error = max == int.MaxValue
                ? $"value {text} is out of range (must be at least {min})"
                : $"value {text} is out of range ({min}..{max})";
            return false;
        }
        value = (int)parsed;
        return true;
    }

    private static bool IsAllDigits(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }
}
