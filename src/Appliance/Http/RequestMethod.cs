namespace Appliance.Http;

/// <summary>
/// The request methods the proxy recognises by name (RFC 9110 §9 plus PATCH). Method names are
/// case-sensitive, so <c>get</c> is <see cref="Other"/>; the raw token is always in
/// <see cref="RequestHead.MethodToken"/>.
/// </summary>
public enum RequestMethod : byte
{
    /// <summary>A valid token that is none of the names below.</summary>
    Other = 0,
    Get,
    Head,
    Post,
    Put,
    Delete,
    Connect,
    Options,
    Trace,
    Patch,
}
