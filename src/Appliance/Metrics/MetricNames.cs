namespace Appliance.Metrics;

/// <summary>The metric name prefix: ours by default, HAProxy's (<c>metrics-prefix haproxy</c>) for existing dashboards.</summary>
internal static class MetricNames
{
    public const string DefaultPrefix = "appliance";

    /// <summary>A prefix that keeps every name valid in Prometheus: <c>[a-zA-Z_][a-zA-Z0-9_]*</c>.</summary>
    public static bool IsValidPrefix(string prefix)
    {
        if (prefix.Length == 0 || char.IsAsciiDigit(prefix[0])) return false;
        foreach (char c in prefix)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return true;
    }
}
