using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Rules;

namespace Appliance.Forwarding;

/// <summary>
/// A backend compiled for the data path: its state (servers), and its settings resolved to
/// milliseconds so sessions read plain fields. Immutable; shared by all shards.
/// </summary>
internal sealed class Backend
{
    /// <summary>HAProxy's turn-around delay cap before retrying the same server.</summary>
    private const long MaxTurnAroundMs = 1000;

    public Backend(int index, BackendState state)
    {
        Index = index;
        State = state;
        BackendConfig config = state.Config;
        ConnectTimeoutMs = Milliseconds(config.Timeouts.Connect);
        ServerTimeoutMs = Milliseconds(config.Timeouts.Server);
        TunnelTimeoutMs = Milliseconds(config.Timeouts.Tunnel);
        // HAProxy: without timeout queue, a queued connection waits at most timeout connect.
        QueueTimeoutMs = Milliseconds(config.Timeouts.Queue ?? config.Timeouts.Connect);
        Retries = config.Retries;
        RetryOn = config.RetryOn;
        ForwardForHeader = config.ForwardFor is { } option ? System.Text.Encoding.ASCII.GetBytes(option.Header) : null;
        Redispatch = config.Redispatch;
        SmartConnect = config.SmartConnect;
        HttpReuse = config.HttpReuse;
        TurnAroundMs = Math.Min(ConnectTimeoutMs == 0 ? MaxTurnAroundMs : ConnectTimeoutMs, MaxTurnAroundMs);
    }

    /// <summary>The statistics page this backend answers after its http-request rules, or null.</summary>
    public Stats.StatsPage? Stats { get; init; }

    /// <summary>Position in the worker's backend array (indexes per-shard balancers).</summary>
    public int Index { get; }

    public BackendState State { get; }

    /// <summary>
    /// The compiled <c>http-request</c>/<c>http-response</c> rules and <c>errorfile</c> pages; the same
    /// object as the frontend's for a <c>listen</c> section.
    /// </summary>
    public HttpRuleSet Rules { get; init; } = HttpRuleSet.Empty;

    public string Name => State.Config.Name;

    /// <summary>0 = no limit.</summary>
    public long ConnectTimeoutMs { get; }

    /// <summary>0 = no limit.</summary>
    public long ServerTimeoutMs { get; }

    /// <summary><c>timeout tunnel</c> for upgraded (WebSocket) connections; 0 = use client/server.</summary>
    public long TunnelTimeoutMs { get; }

    public int Retries { get; }

    /// <summary><c>retry-on</c>: which request failures are retried (HTTP mode).</summary>
    public RetryOnConditions RetryOn { get; }

    /// <summary>How long a connection may wait for a server slot (0 = no limit).</summary>
    public long QueueTimeoutMs { get; }

    /// <summary>
    /// True when some server could take traffic but all are at their maxconn — the case for queueing
    /// rather than refusing. Walks the servers: only called when a pick failed.
    /// </summary>
    public bool AllUsableServersFull()
    {
        (int active, int backup) = State.CountUsable();
        return active + backup > 0;
    }

    /// <summary>The <c>option forwardfor</c> header name as bytes, or null.</summary>
    public byte[]? ForwardForHeader { get; }

    public bool Redispatch { get; }

    /// <summary><c>option tcp-smart-connect</c>: the handshake's last ACK waits for the request.</summary>
    public bool SmartConnect { get; }

    /// <summary><c>http-reuse</c>: which requests may take an idle server connection.</summary>
    public HttpReuseMode HttpReuse { get; }

    /// <summary>Delay before retrying the same server after a failed connect: min(timeout connect, 1s).</summary>
    public long TurnAroundMs { get; }

    internal static long Milliseconds(TimeSpan? value) =>
        value is { } v ? Math.Max(1, (long)Math.Ceiling(v.TotalMilliseconds)) : 0;
}
