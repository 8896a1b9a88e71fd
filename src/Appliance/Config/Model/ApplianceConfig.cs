namespace Appliance.Config.Model;

/// <summary>A whole, validated configuration: immutable, compared by value.</summary>
public sealed record ApplianceConfig(
    GlobalConfig Global,
    ValueList<FrontendConfig> Frontends,
    ValueList<BackendConfig> Backends)
{
    public BackendConfig? FindBackend(string name)
    {
        foreach (var backend in Backends)
        {
            if (backend.Name == name) return backend;
        }
        return null;
    }
}
