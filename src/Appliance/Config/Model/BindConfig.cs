using System.Net;

namespace Appliance.Config.Model;

/// <summary>
/// One listening address of a <c>bind</c> line (a line with several addresses gives several).
/// <c>*:80</c> and <c>:80</c> are 0.0.0.0:80; <c>[::]:80</c> and <c>:::80</c> are [::]:80 (IPv6, also
/// accepting IPv4-mapped unless <see cref="V6Only"/>).
/// </summary>
public sealed record BindConfig(IPEndPoint EndPoint, bool V6Only, SourceLocation Location)
{
    /// <summary><c>accept-proxy</c>: every connection starts with a PROXY protocol header (v1 or v2) naming the client.</summary>
    public bool AcceptProxy { get; init; }

    public override string ToString() => EndPoint.ToString();
}
