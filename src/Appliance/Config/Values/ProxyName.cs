namespace Appliance.Config.Values;

/// <summary>HAProxy's rule for proxy and named-defaults names: letters, digits, '-', '_', '.' and ':'.</summary>
internal static class ProxyName
{
    /// <summary>Returns null when <paramref name="name"/> is valid, otherwise why it is not.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0) return "empty name";
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                return $"invalid character '{c}' in name '{name}' (allowed: letters, digits, '-', '_', '.', ':')";
            }
        }
        return null;
    }
}
