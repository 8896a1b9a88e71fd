using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>
/// A <c>default_backend</c> name with where it was written, so an unknown name is reported at the
/// referencing line and in its section — which is the defaults section when it was inherited.
/// </summary>
internal sealed record BackendReference(string Name, SourceLocation Location, string Section);
