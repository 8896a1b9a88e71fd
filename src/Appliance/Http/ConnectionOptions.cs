namespace Appliance.Http;

/// <summary>The connection options found in all <c>Connection</c> fields of a message (RFC 9110 §7.6.1).</summary>
[Flags]
public enum ConnectionOptions : byte
{
    None = 0,
    Close = 1,
    KeepAlive = 2,
    Upgrade = 4,
    /// <summary>Some other option, i.e. the name of another hop-by-hop field.</summary>
    Other = 8,
}
