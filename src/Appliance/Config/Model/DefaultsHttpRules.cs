namespace Appliance.Config.Model;

/// <summary>
/// The <c>http-request</c> / <c>http-response</c> rules of the named defaults section a proxy inherits
/// from: they run before the proxy's own, and their conditions use that section's ACLs (a defaults
/// section's ACLs are visible to its own rules only, as in HAProxy).
/// </summary>
public sealed record DefaultsHttpRules(
    string Name,
    ValueList<AclConfig> Acls,
    ValueList<HttpRule> RequestRules,
    ValueList<HttpRule> ResponseRules,
    SourceLocation Location);
