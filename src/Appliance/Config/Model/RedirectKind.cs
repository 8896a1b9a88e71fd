namespace Appliance.Config.Model;

/// <summary>How a redirect builds its Location.</summary>
public enum RedirectKind
{
    /// <summary>The target is the whole location.</summary>
    Location,
    /// <summary>The target, then the request's path and query (nothing is prepended when the target is exactly "/").</summary>
    Prefix,
    /// <summary>The target, "://", the first Host header value, then the path and query ("/" when there is no path).</summary>
    Scheme,
}
