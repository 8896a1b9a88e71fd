namespace Appliance.Config.Model;

/// <summary>
/// HAProxy's HTTP connection mode of a proxy (<c>option http-keep-alive</c>, <c>http-server-close</c>,
/// <c>httpclose</c>). A request runs with the stronger of its frontend's and its backend's: keep-alive is
/// the weakest, close the strongest (the order of the values).
/// </summary>
public enum HttpConnectionMode
{
    /// <summary>Keep-alive on both sides (the default).</summary>
    KeepAlive,

    /// <summary>The server connection closes after each response (the request says <c>Connection: close</c>); the client is kept.</summary>
    ServerClose,

    /// <summary>Both connections close after each response, each told <c>Connection: close</c>.</summary>
    Close,
}
