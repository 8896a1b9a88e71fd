namespace Appliance.Forwarding.ProxyProtocol;

/// <summary>
/// The outcome of reading a PROXY protocol header. When <see cref="HasSource"/>, the client's address
/// was written as a sockaddr; otherwise (v1 <c>UNKNOWN</c>, v2 <c>LOCAL</c> or a family other than TCP
/// over IPv4/IPv6) the connection's own peer stays the client, as HAProxy does.
/// </summary>
internal readonly record struct ProxyHeaderResult(ProxyHeaderStatus Status, int Length, bool HasSource, string? Error)
{
    public static ProxyHeaderResult Incomplete => new(ProxyHeaderStatus.Incomplete, 0, false, null);

    public static ProxyHeaderResult Invalid(string error) => new(ProxyHeaderStatus.Invalid, 0, false, error);
}
