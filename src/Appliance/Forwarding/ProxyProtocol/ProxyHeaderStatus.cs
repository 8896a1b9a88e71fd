namespace Appliance.Forwarding.ProxyProtocol;

internal enum ProxyHeaderStatus
{
    /// <summary>What was received is the start of a valid header: wait for more.</summary>
    Incomplete,

    /// <summary>A whole header: <see cref="ProxyHeaderResult.Length"/> bytes to consume.</summary>
    Complete,

    /// <summary>Not a PROXY protocol header (or a malformed one): the connection is closed.</summary>
    Invalid,
}
