namespace Appliance.Forwarding.Http;

internal enum HttpSessionPhase
{
    /// <summary>Waiting for (or reading) a request head.</summary>
    AwaitingRequest,
    /// <summary>Waiting in the backend queue: every server is at its maxconn.</summary>
    Queued,
    /// <summary>Connecting to the chosen server.</summary>
    Connecting,
    /// <summary>Waiting out the turn-around delay before retrying a connect.</summary>
    WaitingRetry,
    /// <summary>Request going to the server, response coming back.</summary>
    Exchanging,
    /// <summary>After 101 Switching Protocols: raw bytes both ways.</summary>
    Tunnel,
    /// <summary><c>use-service</c>: the answer is being rendered off the shard.</summary>
    AwaitingService,
    /// <summary>Reading the body of a request the proxy answers itself (the statistics page's admin form).</summary>
    ReadingLocalBody,
    /// <summary>An answer of the proxy's own is being sent; then the next request is read, or the connection closes (lingering).</summary>
    Answering,
    Closed,
}
