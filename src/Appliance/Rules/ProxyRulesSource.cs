using Appliance.Config.Model;

namespace Appliance.Rules;

/// <summary>What the rules compiler reads from a frontend or a backend section alike.</summary>
internal sealed record ProxyRulesSource(
    string Name,
    ProxyMode Mode,
    ValueList<HttpRule> RequestRules,
    ValueList<HttpRule> ResponseRules,
    ValueList<ErrorFileConfig> ErrorFiles,
    DefaultsHttpRules? Defaults)
{
    public static ProxyRulesSource Of(FrontendConfig frontend) => new(
        frontend.Name, frontend.Mode, frontend.HttpRequestRules, frontend.HttpResponseRules, frontend.ErrorFiles, frontend.DefaultsRules);

    public static ProxyRulesSource Of(BackendConfig backend) => new(
        backend.Name, backend.Mode, backend.HttpRequestRules, backend.HttpResponseRules, backend.ErrorFiles, backend.DefaultsRules);
}
