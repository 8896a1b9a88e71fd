namespace Appliance.Config.Model;

/// <summary>
/// A <c>backend</c> (or the backend half of a <c>listen</c> section). Values inherited from
/// <c>defaults</c> are already applied. <see cref="HttpCheck"/> is null unless <c>option httpchk</c>
/// applies: servers with <c>check</c> are then checked over HTTP instead of by a TCP connect.
/// </summary>
public sealed record BackendConfig(
    string Name,
    ProxyMode Mode,
    BalanceAlgorithm Balance,
    ValueList<ServerConfig> Servers,
    int Retries,
    bool Redispatch,
    Timeouts Timeouts,
    SourceLocation Location,
    ForwardForConfig? ForwardFor = null,
    HttpCheckConfig? HttpCheck = null)
{
    /// <summary><c>retry-on</c>; HAProxy's default is connection failures only.</summary>
    public RetryOnConditions RetryOn { get; init; } = RetryOnConditions.ConnectionFailure;

    /// <summary>HAProxy's default for <c>retries</c>.</summary>
    public const int DefaultRetries = 3;
}
