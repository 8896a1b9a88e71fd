namespace Appliance.Http;

/// <summary>
/// Which hop-by-hop fields (RFC 9110 §7.6.1) the head writer leaves out of a forwarded head. The caller
/// picks per message: Transfer-Encoding only goes when the proxy re-frames the body, Upgrade stays when
/// the connection is being tunnelled. The fields a <c>Connection</c> field names go with
/// <see cref="Connection"/>, except Host, Content-Length, Transfer-Encoding and the other fields listed
/// here: naming <c>Content-Length</c> in Connection must not strip a request's framing on its way out.
/// </summary>
[Flags]
public enum HopByHopFields
{
    None = 0,
    /// <summary>The Connection field and the other fields it names.</summary>
    Connection = 1,
    KeepAlive = 2,
    ProxyConnection = 4,
    TE = 8,
    TransferEncoding = 16,
    Upgrade = 32,

    /// <summary>Plain forwarding of a message whose body is passed on as it came.</summary>
    Forwarding = Connection | KeepAlive | ProxyConnection | TE | Upgrade,

    /// <summary>Forwarding an upgrade request or its 101 answer: Upgrade must reach the other side.</summary>
    Tunnelling = Connection | KeepAlive | ProxyConnection | TE,

    /// <summary>Forwarding with a body the proxy re-frames (e.g. chunked to Content-Length).</summary>
    Reframing = Forwarding | TransferEncoding,
}
