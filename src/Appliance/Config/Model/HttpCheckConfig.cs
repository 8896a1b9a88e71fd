namespace Appliance.Config.Model;

/// <summary>
/// The HTTP health check of a backend (<c>option httpchk</c> with its <c>http-check</c> lines), as HAProxy
/// runs it: connect, send one request, then test the response against every expectation in order — the
/// first that fails decides the verdict. Present on a backend only when <c>option httpchk</c> applies to it.
/// </summary>
/// <param name="Request">What is sent.</param>
/// <param name="Expectations">
/// Never empty: without any <c>http-check expect</c>, HAProxy's implicit one, <c>status 200-399</c>.
/// </param>
/// <param name="ConnectPort"><c>http-check connect port N</c>: the port checked instead of the server's.</param>
/// <param name="UsesServerCheckOptions">
/// False after an <c>http-check connect</c> without <c>default</c>: the server line's check options (its
/// <c>port</c>) are then not used, as in HAProxy.
/// </param>
/// <param name="Linger"><c>http-check connect linger</c>: close with a FIN instead of HAProxy's default RST.</param>
public sealed record HttpCheckConfig(
    HttpCheckRequest Request,
    ValueList<HttpCheckExpectation> Expectations,
    int? ConnectPort = null,
    bool UsesServerCheckOptions = true,
    bool Linger = false)
{
    /// <summary>HAProxy's implicit expectation: any 2xx or 3xx status.</summary>
    public static HttpCheckExpectation DefaultExpectation { get; } =
        new(HttpCheckMatch.StatusCodes, "200-399", Inverted: false, new ValueList<StatusCodeRange>([new StatusCodeRange(200, 399)]));

    /// <summary>Plain <c>option httpchk</c>: <c>OPTIONS / HTTP/1.0</c>, expecting 2xx or 3xx.</summary>
    public static HttpCheckConfig Default { get; } = new(HttpCheckRequest.Default, new ValueList<HttpCheckExpectation>([DefaultExpectation]));
}
