namespace Appliance.Config.Model;

/// <summary>Which PROXY protocol header a server connection starts with (<c>send-proxy</c>, <c>send-proxy-v2</c>).</summary>
public enum ProxyProtocolVersion
{
    None,
    V1,
    V2,
}
