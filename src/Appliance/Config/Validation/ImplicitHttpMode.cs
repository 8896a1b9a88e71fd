using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Validation;

/// <summary>
/// A frontend with no <c>mode</c> line is TCP, as in HAProxy — but a file such as the path-routing
/// example (<c>acl is_orders path_beg /orders</c> with no <c>mode http</c>) plainly means HTTP, and
/// HAProxy would refuse its HTTP fetches in TCP mode. Such a frontend, and the backends it uses that
/// have no <c>mode</c> line either, run in HTTP mode, with a warning that names the fix.
/// </summary>
internal static class ImplicitHttpMode
{
    /// <summary>Fetches that need no HTTP parsing (layer 4 and constants); every other fetch is HTTP.</summary>
    private static readonly HashSet<string> Layer4Fetches = new(StringComparer.Ordinal)
    {
        "src", "dst", "src_port", "dst_port", "always_true", "always_false", "TRUE", "FALSE", "so_id", "fe_id",
        "nbsrv", "connslots", "be_conn", "fe_conn", "srv_is_up", "queue",
    };

    public static void Apply(ParsedConfig config, Dictionary<string, ProxySection> backends, DiagnosticBag diagnostics)
    {
        foreach (ProxySection frontend in config.Proxies)
        {
            if (!frontend.HasFrontend || frontend.Settings.ModeWritten || frontend.Settings.Mode != ProxyMode.Tcp) continue;
            (SourceLocation Location, string What)? evidence = FirstHttpFetch(frontend) ?? FirstHttpRule(frontend);
            if (evidence is not { } found) continue;

            frontend.Settings = frontend.Settings with { Mode = ProxyMode.Http };
            diagnostics.Warning(found.Location, frontend.DisplayName, null,
                $"{found.What} in a {frontend.KindName} without a 'mode' line (TCP by default): running it in HTTP mode; add 'mode http' to it or to its defaults section");
            foreach (string name in ReferencedBackends(frontend))
            {
                if (!backends.TryGetValue(name, out ProxySection? backend) || backend == frontend) continue;
                if (backend.Settings.ModeWritten || backend.Settings.Mode != ProxyMode.Tcp) continue;
                backend.Settings = backend.Settings with { Mode = ProxyMode.Http };
                diagnostics.Warning(backend.Location, backend.DisplayName, null,
                    $"used by HTTP {frontend.KindName} '{frontend.Name}' without a 'mode' line: running it in HTTP mode; add 'mode http' to it or to its defaults section");
            }
        }
    }

    private static (SourceLocation, string)? FirstHttpFetch(ProxySection frontend)
    {
        foreach (AclConfig acl in frontend.Acls)
        {
            if (IsHttpFetch(acl.Fetch)) return (acl.Location, $"HTTP fetch '{acl.Fetch}'");
        }
        foreach (UseBackendRule rule in frontend.UseBackends)
        {
            if (rule.IsDynamic) return (rule.Location, $"HTTP fetch '{rule.Backend}'");
            if (rule.Condition is null) continue;
            var terms = rule.Condition.Terms;
            for (int i = 0; i + 1 < terms.Count; i++)
            {
                // An anonymous ACL: "{ FETCH ARGS… }".
                if (terms[i] == "{" && IsHttpFetch(terms[i + 1])) return (rule.Location, $"HTTP fetch '{terms[i + 1]}'");
            }
        }
        return null;
    }

    /// <summary>An <c>http-request</c>/<c>http-response</c> rule (its own or its defaults section's) only makes sense in HTTP.</summary>
    private static (SourceLocation, string)? FirstHttpRule(ProxySection proxy)
    {
        foreach (ProxySection? section in (ProxySection?[])[proxy.RulesDefaults, proxy])
        {
            if (section is null) continue;
            if (section.HttpRequestRules.Count > 0) return (section.HttpRequestRules[0].Location, "'http-request' rule");
            if (section.HttpResponseRules.Count > 0) return (section.HttpResponseRules[0].Location, "'http-response' rule");
            if (section.Redirects.Count > 0) return (section.Redirects[0].Location, "'redirect' rule");
        }
        return null;
    }

    private static bool IsHttpFetch(string fetch)
    {
        int parenthesis = fetch.IndexOf('(');
        string name = parenthesis >= 0 ? fetch[..parenthesis] : fetch;
        return !Layer4Fetches.Contains(name);
    }

    private static IEnumerable<string> ReferencedBackends(ProxySection frontend)
    {
        if (ConfigValidator.EffectiveDefaultBackend(frontend) is { } fallback) yield return fallback.Name;
        foreach (UseBackendRule rule in frontend.UseBackends)
        {
            if (!rule.IsDynamic) yield return rule.Backend;
        }
    }
}
