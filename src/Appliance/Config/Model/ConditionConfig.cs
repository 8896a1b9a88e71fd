namespace Appliance.Config.Model;

/// <summary>
/// An <c>if COND</c> / <c>unless COND</c> suffix, kept as its words (ACL names, <c>!</c>, <c>||</c>,
/// <c>or</c>, and anonymous <c>{ … }</c> ACLs) for the HTTP mode to compile.
/// </summary>
public sealed record ConditionConfig(bool Unless, ValueList<string> Terms);
