namespace Appliance.Config.Model;

/// <summary>
/// The request an HTTP health check sends: <c>option httpchk [METHOD] [URI] [VERSION]</c> merged with
/// <c>http-check send</c>. Sent as written: HAProxy adds no <c>Host</c> header of its own (HTTP/1.1 servers
/// need one through <c>hdr Host …</c>), only <c>Connection: close</c> unless a <c>Connection</c> header is
/// configured, and the body's length.
/// </summary>
/// <param name="Method">HAProxy's default is <c>OPTIONS</c>.</param>
/// <param name="Uri">Default <c>/</c>.</param>
/// <param name="Version">Default <c>HTTP/1.0</c>.</param>
/// <param name="Headers">In the order written.</param>
/// <param name="Body">Null when the request has none.</param>
public sealed record HttpCheckRequest(string Method, string Uri, string Version, ValueList<HttpCheckHeader> Headers, string? Body)
{
    public const string DefaultMethod = "OPTIONS";
    public const string DefaultUri = "/";
    public const string DefaultVersion = "HTTP/1.0";

    public static HttpCheckRequest Default { get; } = new(DefaultMethod, DefaultUri, DefaultVersion, ValueList<HttpCheckHeader>.Empty, null);
}
