using System.Collections.Immutable;
using Appliance.Config;

namespace Appliance.Routing;

/// <summary>
/// The result of compiling a frontend's routing: the table (null when there was any error) and every
/// error and warning found, each with its file, line, section and keyword.
/// </summary>
public sealed record RouteCompilation(RouteTable? Table, ImmutableArray<ConfigDiagnostic> Diagnostics)
{
    public bool Succeeded => Table is not null;

    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => !d.IsWarning);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => d.IsWarning);
}
