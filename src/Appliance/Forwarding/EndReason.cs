namespace Appliance.Forwarding;

/// <summary>
/// Why a connection ended — one value per session, used by logs, metrics and tests alike (HAProxy's
/// termination state, e.g. <c>CD</c> client aborted during data, <c>SC</c> server refused).
/// </summary>
public enum EndReason
{
    None = 0,
    /// <summary>Both sides closed normally.</summary>
    Completed,
    /// <summary>The client reset or errored.</summary>
    ClientAborted,
    /// <summary>The server reset or errored after the connection was established.</summary>
    ServerAborted,
    /// <summary>No usable server (all down, full, or none configured).</summary>
    NoServer,
    /// <summary>Every connect attempt (first try plus retries) failed.</summary>
    ConnectFailed,
    /// <summary><c>timeout client</c> expired.</summary>
    ClientTimeout,
    /// <summary><c>timeout server</c> expired.</summary>
    ServerTimeout,
    /// <summary>A local resource ran out (descriptors, memory).</summary>
    ResourceExhausted,
    /// <summary>Every server was at its maxconn until <c>timeout queue</c> expired.</summary>
    QueueTimeout,
    /// <summary>The client sent something invalid (answered 4xx).</summary>
    BadRequest,
    /// <summary>The process is stopping.</summary>
    Shutdown,
    /// <summary>An <c>http-request deny</c> rule refused the request (answered with its error page).</summary>
    Denied,
}
