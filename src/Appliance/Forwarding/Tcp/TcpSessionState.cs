namespace Appliance.Forwarding.Tcp;

internal enum TcpSessionState
{
    Idle,
    Connecting,
    WaitingRetry,
    Established,
    Closed,
}
