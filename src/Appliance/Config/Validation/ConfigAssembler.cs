using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Validation;

/// <summary>Turns a parsed and validated config into the immutable model the engine reads.</summary>
internal static class ConfigAssembler
{
    /// <summary>
    /// Precondition: <see cref="ConfigValidator"/> reported no error. Proxies keep file order. Each side keeps
    /// every timeout it inherited; the engine reads the ones that concern it.
    /// </summary>
    public static ApplianceConfig Build(ParsedConfig parsed)
    {
        var frontends = new List<FrontendConfig>();
        var backends = new List<BackendConfig>();
        foreach (var proxy in parsed.Proxies)
        {
            var settings = proxy.Settings;
            // A listen section without bind is a backend only; a frontend without bind was refused.
            if (proxy.HasFrontend && proxy.Binds.Count > 0)
            {
                frontends.Add(new FrontendConfig(
                    proxy.Name!,
                    settings.Mode,
                    new ValueList<BindConfig>(proxy.Binds),
                    ConfigValidator.EffectiveDefaultBackend(proxy)?.Name,
                    new ValueList<AclConfig>(proxy.Acls),
                    new ValueList<UseBackendRule>(proxy.UseBackends),
                    settings.MaxConn,
                    settings.Timeouts,
                    proxy.Location,
                    settings.ForwardFor,
                    new ValueList<HttpRule>(proxy.RequestRulesInOrder),
                    new ValueList<HttpRule>(proxy.HttpResponseRules),
                    settings.ErrorFiles,
                    DefaultsRules(proxy))
                {
                    Stats = settings.Stats,
                    Log = LogOf(settings, parsed.Global),
                    IdleCloseOnResponse = settings.IdleCloseOnResponse,
                    ConnectionMode = settings.ConnectionMode,
                    SmartAccept = settings.SmartAccept ?? settings.Mode == ProxyMode.Http,
                });
            }
            if (proxy.HasBackend)
            {
                backends.Add(new BackendConfig(
                    proxy.Name!,
                    settings.Mode,
                    settings.Balance,
                    new ValueList<ServerConfig>(proxy.Servers),
                    settings.Retries,
                    settings.Redispatch,
                    settings.Timeouts,
                    proxy.Location,
                    settings.ForwardFor,
                    settings.HttpCheck.Enabled ? settings.HttpCheck.ToConfig() : null,
                    new ValueList<AclConfig>(proxy.Acls),
                    new ValueList<HttpRule>(proxy.RequestRulesInOrder),
                    new ValueList<HttpRule>(proxy.HttpResponseRules),
                    settings.ErrorFiles,
                    DefaultsRules(proxy)) { RetryOn = settings.RetryOn, Stats = settings.Stats, SmartConnect = settings.SmartConnect, HttpReuse = settings.HttpReuse,
                    ConnectionMode = settings.ConnectionMode });
            }
        }
        return new ApplianceConfig(parsed.Global.ToConfig(), new ValueList<FrontendConfig>(frontends), new ValueList<BackendConfig>(backends));
    }

    /// <summary>A frontend's log targets: <c>log global</c> stands for the global section's lines, then its own.</summary>
    private static ProxyLogConfig LogOf(ProxySettings settings, GlobalSection global)
    {
        var targets = new List<LogTargetConfig>();
        if (settings.LogGlobal) targets.AddRange(global.LogTargets);
        targets.AddRange(settings.LogTargets);
        return targets.Count == 0 && settings.LogOption == LogOption.Default && !settings.DontLogNull && settings.LogFormat is null
            ? ProxyLogConfig.None
            : new ProxyLogConfig(new ValueList<LogTargetConfig>(targets), settings.LogOption, settings.DontLogNull, settings.LogFormat);
    }

    private static DefaultsHttpRules? DefaultsRules(ProxySection proxy) => proxy.RulesDefaults is { } defaults
        ? new DefaultsHttpRules(
            defaults.DisplayName,
            new ValueList<AclConfig>(defaults.Acls),
            new ValueList<HttpRule>(defaults.HttpRequestRules),
            new ValueList<HttpRule>(defaults.HttpResponseRules),
            defaults.Location)
        : null;
}
