namespace Appliance.Rules;

/// <summary>
/// One proxy's compiled <c>http-request</c> and <c>http-response</c> rules (the inherited defaults
/// section's first) and its <c>errorfile</c> pages. Built once per configuration; immutable and shared
/// read-only by every shard. A <c>listen</c> section has one set serving as both its frontend's and
/// its backend's, which is how the evaluator knows not to run it twice.
/// </summary>
public sealed class HttpRuleSet
{
    internal HttpRuleSet(string proxy, CompiledRule[] requestRules, CompiledRule[] responseRules, ErrorPages errorPages)
    {
        Proxy = proxy;
        RequestRules = requestRules;
        ResponseRules = responseRules;
        ErrorPages = errorPages;
    }

    /// <summary>No rules and no errorfile (TCP proxies, tests).</summary>
    public static HttpRuleSet Empty { get; } = new("", [], [], ErrorPages.None);

    /// <summary>The section the rules come from.</summary>
    public string Proxy { get; }

    public ErrorPages ErrorPages { get; }

    public int RequestRuleCount => RequestRules.Length;

    public int ResponseRuleCount => ResponseRules.Length;

    internal CompiledRule[] RequestRules { get; }

    internal CompiledRule[] ResponseRules { get; }

    /// <summary>
    /// The errorfile for an answer the proxy makes itself (503 no server, 504, 502, …): the backend's
    /// when the request was routed, else the frontend's, else null for the built-in page (HAProxy's
    /// order). Any shard; allocation-free.
    /// </summary>
    public static byte[]? FindErrorFile(int status, HttpRuleSet? backend, HttpRuleSet frontend) =>
        backend?.ErrorPages.Find(status) ?? frontend.ErrorPages.Find(status);
}
