namespace Appliance.Config.Model;

/// <summary>
/// A <c>frontend</c> (or the frontend half of a <c>listen</c> section, whose default backend is itself).
/// Values inherited from <c>defaults</c> are already applied.
/// </summary>
public sealed record FrontendConfig(
    string Name,
    ProxyMode Mode,
    ValueList<BindConfig> Binds,
    string? DefaultBackend,
    ValueList<AclConfig> Acls,
    ValueList<UseBackendRule> UseBackends,
    int MaxConn,
    Timeouts Timeouts,
    SourceLocation Location,
    ForwardForConfig? ForwardFor = null);
