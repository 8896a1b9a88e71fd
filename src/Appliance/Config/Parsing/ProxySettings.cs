using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>
/// What a <c>defaults</c> section hands down. A proxy copies the settings of its defaults section when its
/// header is read (as HAProxy does) and its own keywords then replace them; being a record, the copy is
/// just a reference and each change makes a new value.
/// </summary>
internal sealed record ProxySettings(
    ProxyMode Mode,
    Timeouts Timeouts,
    BalanceAlgorithm Balance,
    int Retries,
    bool Redispatch,
    int MaxConn,
    ServerOptions DefaultServer,
    BackendReference? DefaultBackend)
{
    /// <summary>A <c>mode</c> line set <see cref="Mode"/> (here or in the defaults it came from).</summary>
    public bool ModeWritten { get; init; }

    /// <summary><c>retry-on</c>.</summary>
    public RetryOnConditions RetryOn { get; init; } = RetryOnConditions.ConnectionFailure;

    /// <summary><c>option forwardfor</c>, or null when off.</summary>
    public ForwardForConfig? ForwardFor { get; init; }

    /// <summary><c>option httpchk</c> and the <c>http-check</c> rules.</summary>
    public HttpCheckRules HttpCheck { get; init; } = HttpCheckRules.None;

    /// <summary><c>errorfile</c> lines so far, inherited ones first (HAProxy copies a defaults section's to each proxy).</summary>
    public ValueList<ErrorFileConfig> ErrorFiles { get; init; }

    /// <summary><c>stats …</c> lines: the statistics page, or null when none was written.</summary>
    public StatsConfig? Stats { get; init; }

    /// <summary><c>log</c> lines with a target, in order (inherited ones first).</summary>
    public ValueList<LogTargetConfig> LogTargets { get; init; }

    /// <summary><c>log global</c> was written (and not undone by <c>no log</c>).</summary>
    public bool LogGlobal { get; init; }

    /// <summary><c>option httplog</c> / <c>option tcplog</c>.</summary>
    public LogOption LogOption { get; init; }

    /// <summary><c>log-format</c> (already validated); <c>option httplog|tcplog</c> after it clears it, as in HAProxy.</summary>
    public string? LogFormat { get; init; }

    /// <summary><c>option idle-close-on-response</c>.</summary>
    public bool IdleCloseOnResponse { get; init; }

    /// <summary><c>option tcp-smart-accept</c>; null = not written (on for HTTP frontends).</summary>
    public bool? SmartAccept { get; init; }

    /// <summary><c>option tcp-smart-connect</c>.</summary>
    public bool SmartConnect { get; init; }

    /// <summary><c>http-reuse</c>.</summary>
    public HttpReuseMode HttpReuse { get; init; } = HttpReuseMode.Safe;

    public HttpConnectionMode ConnectionMode { get; init; }

    /// <summary><c>option dontlognull</c>.</summary>
    public bool DontLogNull { get; init; }

    /// <summary>HAProxy's values when no defaults section sets anything: tcp, roundrobin, 3 retries.</summary>
    public static ProxySettings Initial { get; } = new(
        ProxyMode.Tcp, Timeouts.None, BalanceAlgorithm.RoundRobin, BackendConfig.DefaultRetries,
        Redispatch: false, MaxConn: 0, ServerOptions.Default, DefaultBackend: null);
}
