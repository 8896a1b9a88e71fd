namespace Appliance.Config.Model;

/// <summary>
/// <c>acl NAME FETCH [FLAGS] [VALUES…]</c>, kept as its words: the HTTP mode compiles it into a matcher.
/// </summary>
public sealed record AclConfig(string Name, string Fetch, ValueList<string> Arguments, SourceLocation Location);
