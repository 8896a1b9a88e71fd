using Appliance.Config.Keywords;
using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Validation;

/// <summary>
/// Checks what no single line can: duplicate names, references to backends and ACLs, frontends without a
/// bind, and frontend/backend mode agreement. Each problem is reported at the line that causes it.
/// </summary>
internal static class ConfigValidator
{
    public static void Validate(ParsedConfig config, DiagnosticBag diagnostics)
    {
        // Frontends are indexed only to report duplicates: nothing refers to a frontend by name.
        FirstByName(config.Proxies, p => p.HasFrontend, "frontend", diagnostics);
        var backends = FirstByName(config.Proxies, p => p.HasBackend, "backend", diagnostics);
        ImplicitHttpMode.Apply(config, backends, diagnostics);
        foreach (var proxy in config.Proxies)
        {
            CheckRulesMode(proxy, diagnostics);
            if (proxy.HasBackend)
            {
                CheckServers(proxy, diagnostics);
                CheckHttpCheckRules(proxy, diagnostics);
            }
            if (!proxy.HasFrontend) continue;
            CheckBinds(proxy, diagnostics);
            var defaultBackend = EffectiveDefaultBackend(proxy);
            if (defaultBackend is not null)
            {
                CheckBackendReference(proxy, defaultBackend, "default_backend", backends, diagnostics);
            }
            var firstAcls = FirstAcls(proxy);
            foreach (var rule in proxy.UseBackends)
            {
                if (rule.Condition is not null) CheckAclReferences(proxy, rule, firstAcls, diagnostics);
                // A %[…] name is only known per request, so it can be neither looked up nor mode-checked now.
                if (rule.IsDynamic) continue;
                var reference = new BackendReference(rule.Backend, rule.Location, proxy.DisplayName);
                CheckBackendReference(proxy, reference, "use_backend", backends, diagnostics);
            }
        }
        CheckDuplicateBinds(config, diagnostics);
    }

    /// <summary>
    /// The same address and port bound twice: every listening socket is SO_REUSEPORT, so both binds would
    /// succeed and the kernel would share connections at random between them, a mistake that only
    /// shows as wrong answers. Refused instead.
    /// </summary>
    private static void CheckDuplicateBinds(ParsedConfig config, DiagnosticBag diagnostics)
    {
        var first = new Dictionary<System.Net.IPEndPoint, (ProxySection Proxy, BindConfig Bind)>();
        foreach (var proxy in config.Proxies)
        {
            if (!proxy.HasFrontend) continue;
            foreach (var bind in proxy.Binds)
            {
                if (first.TryGetValue(bind.EndPoint, out var earlier))
                {
                    diagnostics.Error(bind.Location, proxy.DisplayName, "bind",
                        $"{bind.EndPoint} is already bound at {earlier.Bind.Location} ({earlier.Proxy.KindName} '{earlier.Proxy.Name}'): "
                        + "connections would be shared at random between the two");
                    continue;
                }
                first.Add(bind.EndPoint, (proxy, bind));
            }
        }
    }

    /// <summary>
    /// A listen section serves as its own default backend unless it names another one itself; a
    /// <c>default_backend</c> inherited from defaults does not apply to it.
    /// </summary>
    public static BackendReference? EffectiveDefaultBackend(ProxySection proxy)
    {
        if (proxy.Kind != SectionKinds.Listen || proxy.HasOwnDefaultBackend) return proxy.Settings.DefaultBackend;
        return new BackendReference(proxy.Name!, proxy.Location, proxy.DisplayName);
    }

    /// <summary>Indexes sections by name, reporting every later section that reuses a name.</summary>
    private static Dictionary<string, ProxySection> FirstByName(
        List<ProxySection> proxies, Func<ProxySection, bool> include, string role, DiagnosticBag diagnostics)
    {
        var byName = new Dictionary<string, ProxySection>(StringComparer.Ordinal);
        foreach (var proxy in proxies)
        {
            if (!include(proxy)) continue;
            if (byName.TryGetValue(proxy.Name!, out var first))
            {
                diagnostics.Error(proxy.Location, proxy.DisplayName, proxy.KindName,
                    $"duplicate {role} name '{proxy.Name}' (first declared at {first.Location})");
                continue;
            }
            byName.Add(proxy.Name!, proxy);
        }
        return byName;
    }

    /// <summary>As in HAProxy, HTTP rules of a proxy left in TCP mode are ignored, with a warning.</summary>
    private static void CheckRulesMode(ProxySection proxy, DiagnosticBag diagnostics)
    {
        if (proxy.Settings.Mode == ProxyMode.Http) return;
        foreach (ProxySection? section in (ProxySection?[])[proxy.RulesDefaults, proxy])
        {
            if (section is null) continue;
            foreach (var (keyword, rules) in (ReadOnlySpan<(string, List<HttpRule>)>)[("http-request", section.HttpRequestRules), ("http-response", section.HttpResponseRules), ("redirect", section.Redirects)])
            {
                if (rules.Count == 0) continue;
                diagnostics.Warning(rules[0].Location, proxy.DisplayName, keyword,
                    $"ignored: '{keyword}' rules need HTTP mode and {proxy.KindName} '{proxy.Name}' is in TCP mode");
            }
        }
    }

    private static void CheckServers(ProxySection backend, DiagnosticBag diagnostics)
    {
        var seen = new Dictionary<string, ServerConfig>(StringComparer.Ordinal);
        foreach (var server in backend.Servers)
        {
            if (seen.TryGetValue(server.Name, out var first))
            {
                diagnostics.Error(server.Location, backend.DisplayName, "server",
                    $"duplicate server name '{server.Name}' (first declared at {first.Location})");
                continue;
            }
            seen.Add(server.Name, server);
        }
    }

    /// <summary>
    /// <c>http-check</c> rules only run with <c>option httpchk</c>; without it the servers keep the TCP
    /// check. Reported at the first rule (once, even when several backends inherit it).
    /// </summary>
    private static void CheckHttpCheckRules(ProxySection backend, DiagnosticBag diagnostics)
    {
        var rules = backend.Settings.HttpCheck;
        if (rules.Enabled || rules.FirstRuleLocation is not { } location) return;
        diagnostics.Warning(location, rules.FirstRuleSection, rules.FirstRuleKeyword,
            "ignored: 'option httpchk' is not enabled, so servers get a TCP connect check");
    }

    private static void CheckBinds(ProxySection proxy, DiagnosticBag diagnostics)
    {
        if (proxy.HasBindLine) return;
        if (proxy.Kind == SectionKinds.Frontend)
        {
            diagnostics.Error(proxy.Location, proxy.DisplayName, proxy.KindName, $"frontend '{proxy.Name}' has no bind line");
        }
        else
        {
            diagnostics.Warning(proxy.Location, proxy.DisplayName, proxy.KindName,
                $"listen '{proxy.Name}' has no bind line: it is used as a backend only");
        }
    }

    private static void CheckBackendReference(ProxySection frontend, BackendReference reference, string keyword,
        Dictionary<string, ProxySection> backends, DiagnosticBag diagnostics)
    {
        if (!backends.TryGetValue(reference.Name, out var backend))
        {
            diagnostics.Error(reference.Location, reference.Section, keyword,
                KeywordSuggestion.WithSuggestion($"unknown backend '{reference.Name}'", reference.Name, backends.Keys));
            return;
        }
        var frontendMode = frontend.Settings.Mode;
        var backendMode = backend.Settings.Mode;
        if (frontendMode != backendMode)
        {
            diagnostics.Error(reference.Location, reference.Section, keyword,
                $"{ModeName(frontendMode)} frontend '{frontend.Name}' cannot use {ModeName(backendMode)} backend '{backend.Name}' " +
                $"(declared at {backend.Location}): their modes must match");
        }
    }

    private static void CheckAclReferences(ProxySection proxy, UseBackendRule rule, Dictionary<string, AclConfig> firstAcls,
        DiagnosticBag diagnostics)
    {
        foreach (var name in ConditionWords.AclNames(rule.Condition!))
        {
            if (PredefinedAcls.Names.Contains(name)) continue;
            if (firstAcls.TryGetValue(name, out var first))
            {
                // HAProxy resolves ACL names while reading the rule, so only ACLs written above it count.
                if (first.Location.Line < rule.Location.Line) continue;
                diagnostics.Error(rule.Location, proxy.DisplayName, "use_backend",
                    $"ACL '{name}' is declared below this rule (at {first.Location}); it must be declared above it");
                continue;
            }
            diagnostics.Error(rule.Location, proxy.DisplayName, "use_backend",
                KeywordSuggestion.WithSuggestion($"unknown ACL '{name}' (an ACL must be declared above the rule using it)", name, firstAcls.Keys));
        }
    }

    /// <summary>The first declaration of each ACL name (several lines may add values to one ACL, as in HAProxy).</summary>
    private static Dictionary<string, AclConfig> FirstAcls(ProxySection proxy)
    {
        var first = new Dictionary<string, AclConfig>(StringComparer.Ordinal);
        foreach (var acl in proxy.Acls) first.TryAdd(acl.Name, acl);
        return first;
    }

    private static string ModeName(ProxyMode mode) => mode == ProxyMode.Http ? "http" : "tcp";
}
