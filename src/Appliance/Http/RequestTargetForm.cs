namespace Appliance.Http;

/// <summary>The four request-target forms of RFC 9112 §3.2.</summary>
public enum RequestTargetForm : byte
{
    /// <summary><c>/path?query</c>: the usual form.</summary>
    Origin = 0,
    /// <summary><c>http://host/path?query</c>: sent to proxies; path and query are taken from it.</summary>
    Absolute,
    /// <summary><c>host:port</c>: only with CONNECT.</summary>
    Authority,
    /// <summary><c>*</c>: only with OPTIONS.</summary>
    Asterisk,
}
