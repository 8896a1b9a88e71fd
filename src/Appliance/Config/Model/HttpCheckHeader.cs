namespace Appliance.Config.Model;

/// <summary>One header of a health check request (<c>hdr NAME VALUE</c> of <c>http-check send</c>).</summary>
public sealed record HttpCheckHeader(string Name, string Value);
