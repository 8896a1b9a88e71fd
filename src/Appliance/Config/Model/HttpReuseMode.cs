namespace Appliance.Config.Model;

/// <summary>
/// <c>http-reuse</c>: which requests may travel over an idle server connection another client's
/// requests used before. HAProxy's default is <see cref="Safe"/>.
/// </summary>
public enum HttpReuseMode
{
    /// <summary>
    /// Never shared between client connections: a server connection carries the requests of the client
    /// connection that opened it and closes with it.
    /// </summary>
    Never,

    /// <summary>
    /// A client connection's first request always opens its own server connection (a client cannot
    /// retry a first request the server closed under it); later ones may take any idle connection.
    /// </summary>
    Safe,

    /// <summary>As safe, but a first request may take an idle connection that has carried two requests or more.</summary>
    Aggressive,

    /// <summary>Any request may take any idle connection.</summary>
    Always,
}
