namespace Appliance.Routing.Samples;

/// <summary>
/// Which message a fetch reads (HAProxy's sample validity): a condition of an <c>http-response</c>
/// rule cannot see the request line or request headers, and one of an <c>http-request</c> rule or a
/// <c>use_backend</c> cannot see the response.
/// </summary>
[Flags]
internal enum SampleScope
{
    /// <summary>Known from the connection alone (<c>src</c>) or constant: usable everywhere.</summary>
    Connection = 1,
    /// <summary>The request line or request headers.</summary>
    Request = 2,
    /// <summary>The response status or response headers.</summary>
    Response = 4,
    /// <summary>What <c>use_backend</c> and <c>http-request</c> conditions may read.</summary>
    RequestRules = Connection | Request,
    /// <summary>What <c>http-response</c> conditions may read.</summary>
    ResponseRules = Connection | Response,
}
