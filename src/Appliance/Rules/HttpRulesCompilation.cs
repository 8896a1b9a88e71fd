using System.Collections.Immutable;
using Appliance.Config;

namespace Appliance.Rules;

/// <summary>
/// The result of compiling one proxy's rules: the set (null when there was any error) and every error
/// and warning, each with file, line, section and keyword.
/// </summary>
public sealed record HttpRulesCompilation(HttpRuleSet? Rules, ImmutableArray<ConfigDiagnostic> Diagnostics)
{
    public bool Succeeded => Rules is not null;

    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => !d.IsWarning);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => d.IsWarning);
}
