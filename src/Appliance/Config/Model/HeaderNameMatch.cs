namespace Appliance.Config.Model;

/// <summary>How <c>del-header -m</c> compares field names with the configured one (HAProxy's matching methods).</summary>
public enum HeaderNameMatch
{
    /// <summary><c>str</c>: the whole name (the default).</summary>
    Exact,
    /// <summary><c>beg</c>: the name starts with it.</summary>
    Prefix,
    /// <summary><c>end</c>: the name ends with it.</summary>
    Suffix,
    /// <summary><c>sub</c>: the name contains it.</summary>
    Substring,
    /// <summary><c>reg</c>: the regular expression matches the name.</summary>
    Regex,
}
