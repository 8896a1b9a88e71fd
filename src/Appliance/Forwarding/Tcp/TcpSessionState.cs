namespace Appliance.Forwarding.Tcp;

internal enum TcpSessionState
{
    Idle,
    Queued,
    Connecting,
    WaitingRetry,
    Established,
    Closed,
}
