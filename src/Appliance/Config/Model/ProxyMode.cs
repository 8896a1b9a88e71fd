namespace Appliance.Config.Model;

/// <summary><c>mode tcp|http</c>. TCP is HAProxy's default when no mode is written.</summary>
public enum ProxyMode
{
    Tcp,
    Http,
}
