namespace Appliance.Config.Model;

/// <summary>
/// A <c>backend</c> (or the backend half of a <c>listen</c> section). Values inherited from
/// <c>defaults</c> are already applied. <see cref="HttpCheck"/> is null unless <c>option httpchk</c>
/// applies: servers with <c>check</c> are then checked over HTTP instead of by a TCP connect.
/// </summary>
/// <param name="Acls">The section's <c>acl</c> lines (its rules' conditions use them).</param>
/// <param name="HttpRequestRules">The section's own <c>http-request</c> rules: they run after the frontend's.</param>
/// <param name="HttpResponseRules">The section's own <c>http-response</c> rules: they run before the frontend's.</param>
/// <param name="ErrorFiles">Inherited then own <c>errorfile</c> lines, in order (a later line for a code wins).</param>
/// <param name="DefaultsRules">Rules of the named defaults section it inherits, which run first; null when there are none.</param>
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
    HttpCheckConfig? HttpCheck = null,
    ValueList<AclConfig> Acls = default,
    ValueList<HttpRule> HttpRequestRules = default,
    ValueList<HttpRule> HttpResponseRules = default,
    ValueList<ErrorFileConfig> ErrorFiles = default,
    DefaultsHttpRules? DefaultsRules = null)
{
    /// <summary><c>retry-on</c>; HAProxy's default is connection failures only.</summary>
    public RetryOnConditions RetryOn { get; init; } = RetryOnConditions.ConnectionFailure;

    /// <summary>
    /// <c>option tcp-smart-connect</c>: server sockets connect with quick ACKs off, so the last ACK of the
    /// handshake travels with the first bytes of the request instead of alone.
    /// </summary>
    public bool SmartConnect { get; init; }

    /// <summary><c>http-reuse</c> (default safe).</summary>
    public HttpReuseMode HttpReuse { get; init; } = HttpReuseMode.Safe;

    /// <summary><c>option http-keep-alive|http-server-close|httpclose</c> (see <see cref="HttpConnectionMode"/>).</summary>
    public HttpConnectionMode ConnectionMode { get; init; }

    /// <summary>The statistics page this backend answers (after its http-request rules), or null.</summary>
    public StatsConfig? Stats { get; init; }

    /// <summary>HAProxy's default for <c>retries</c>.</summary>
    public const int DefaultRetries = 3;
}
