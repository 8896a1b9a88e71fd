namespace Appliance.Config.Keywords;

/// <summary>The words that open a section: the five the appliance reads, and HAProxy's others, skipped whole.</summary>
internal static class SectionKeywords
{
    public static readonly IReadOnlyList<string> Supported = ["global", "defaults", "frontend", "backend", "listen"];

    /// <summary>
    /// HAProxy section types with no effect here yet. Skipping them is safe on its own; the keywords that
    /// would use them (<c>server … resolvers</c>, <c>http-request cache-use</c>…) are refused or warned about
    /// where they appear.
    /// </summary>
    public static readonly IReadOnlyList<string> Ignored =
    [
        "resolvers", "peers", "userlist", "mailers", "program", "http-errors", "cache", "ring", "fcgi-app",
        "log-forward", "crt-store", "traces",
    ];

    public static bool IsSupported(string word) => Supported.Contains(word);

    public static bool IsIgnored(string word) => Ignored.Contains(word);

    public static IEnumerable<string> All => Supported.Concat(Ignored);
}
