using Appliance.Config.Model;

namespace Appliance.Routing.Acls;

/// <summary>
/// A frontend's ACL name at compile time: where it was declared, and the compiled ACL (null when one
/// of its lines failed, so conditions that use it report nothing more).
/// </summary>
internal sealed record NamedAcl(string Name, Acl? Acl, IReadOnlyList<SourceLocation> Declarations);
