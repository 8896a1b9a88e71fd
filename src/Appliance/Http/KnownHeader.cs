namespace Appliance.Http;

/// <summary>
/// The fields the parser interprets or the writer treats specially, classified once while parsing so the
/// writer and the framing code never compare names again.
/// </summary>
public enum KnownHeader : byte
{
    Other = 0,
    Host,
    ContentLength,
    TransferEncoding,
    Connection,
    KeepAlive,
    ProxyConnection,
    TE,
    Upgrade,
    Expect,
}
