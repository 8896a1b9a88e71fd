namespace Appliance.Config.Model;

/// <summary>
/// A <c>frontend</c> (or the frontend half of a <c>listen</c> section, whose default backend is itself).
/// Values inherited from <c>defaults</c> are already applied.
/// </summary>
/// <param name="HttpRequestRules">The section's own <c>http-request</c> rules, in order.</param>
/// <param name="HttpResponseRules">The section's own <c>http-response</c> rules, in order.</param>
/// <param name="ErrorFiles">Inherited then own <c>errorfile</c> lines, in order (a later line for a code wins).</param>
/// <param name="DefaultsRules">Rules of the named defaults section it inherits, which run first; null when there are none.</param>
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
    ForwardForConfig? ForwardFor = null,
    ValueList<HttpRule> HttpRequestRules = default,
    ValueList<HttpRule> HttpResponseRules = default,
    ValueList<ErrorFileConfig> ErrorFiles = default,
    DefaultsHttpRules? DefaultsRules = null)
{
    /// <summary>The statistics page this frontend answers before routing (after its http-request rules), or null.</summary>
    public StatsConfig? Stats { get; init; }

    /// <summary>
    /// <c>option idle-close-on-response</c>: on drain, idle keep-alive connections stay open until their
    /// next request (answered with <c>Connection: close</c>) or their keep-alive timeout, instead of being
    /// closed at once — no request can cross the close.
    /// </summary>
    public bool IdleCloseOnResponse { get; init; }

    /// <summary><c>option http-keep-alive|http-server-close|httpclose</c> (see <see cref="HttpConnectionMode"/>).</summary>
    public HttpConnectionMode ConnectionMode { get; init; }

    /// <summary>
    /// <c>option tcp-smart-accept</c> (on by default in HTTP mode, as HAProxy): the listening sockets have
    /// quick ACKs off, so the kernel does not acknowledge a request on its own before the answer, which
    /// then carries the ACK (one packet less per connection; the kernel still ACKs after its delayed-ACK
    /// timer if the answer is slow).
    /// </summary>
    public bool SmartAccept { get; init; }

    /// <summary>Traffic logging (targets resolved).</summary>
    public ProxyLogConfig Log { get; init; } = ProxyLogConfig.None;
}
