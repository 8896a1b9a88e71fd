namespace Appliance.Load.Client;

/// <summary>Why a request (or stream) failed; each kind is counted separately in the report.</summary>
internal enum ErrorKind
{
    /// <summary>connect() refused: nothing listening.</summary>
    ConnectRefused,

    /// <summary>connect() did not complete within the client timeout.</summary>
    ConnectTimeout,

    /// <summary>connect() failed otherwise (e.g. no ephemeral port left).</summary>
    ConnectFailed,

    /// <summary>The connection was reset (RST) or aborted while sending or receiving.</summary>
    Reset,

    /// <summary>No (complete) answer within the client timeout: a hang.</summary>
    Timeout,

    /// <summary>The peer closed a fresh connection without sending any byte of a response.</summary>
    EmptyResponse,

    /// <summary>The peer closed in the middle of a response head or body.</summary>
    Truncated,

    /// <summary>A status the scenario does not accept.</summary>
    BadStatus,

    /// <summary>A head that does not parse, or without Content-Length.</summary>
    BadHead,

    /// <summary>Body bytes differ from what the origin sent (or a length differs).</summary>
    BadBody,

    /// <summary>Answered by an origin that is not the one the request was routed to.</summary>
    WrongBackend,

    /// <summary><c>appliance reload</c> exited non-zero or timed out.</summary>
    ReloadFailed,

    /// <summary>A worker thread still running well after the deadline.</summary>
    HungWorker,
}
