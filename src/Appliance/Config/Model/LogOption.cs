namespace Appliance.Config.Model;

/// <summary>Which traffic log line a proxy writes (<c>option httplog</c> / <c>option tcplog</c>, else HAProxy's short default).</summary>
public enum LogOption
{
    /// <summary>No option: <c>Connect from IP:PORT to IP:PORT (frontend/MODE)</c>.</summary>
    Default,
    Tcp,
    Http,
}
