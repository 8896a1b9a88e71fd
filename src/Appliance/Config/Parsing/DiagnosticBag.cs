using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>
/// Collects every error and warning of one load, so a file is reported in full rather than stopping at the
/// first problem. An identical diagnostic is kept once: a bad <c>default_backend</c> in a <c>defaults</c>
/// section is checked for every proxy that inherits it but is one mistake on one line.
/// </summary>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigDiagnostic> _errors = new();
    private readonly List<ConfigDiagnostic> _warnings = new();
    private readonly HashSet<ConfigDiagnostic> _seen = new();
    private readonly HashSet<string> _warnedOnce = new(StringComparer.Ordinal);

    public int ErrorCount => _errors.Count;

    public void Error(SourceLocation location, string? section, string? keyword, string message)
    {
        var diagnostic = new ConfigDiagnostic(location, section, keyword, message);
        if (_seen.Add(diagnostic)) _errors.Add(diagnostic);
    }

    public void Warning(SourceLocation location, string? section, string? keyword, string message)
    {
        var diagnostic = new ConfigDiagnostic(location, section, keyword, message, IsWarning: true);
        if (_seen.Add(diagnostic)) _warnings.Add(diagnostic);
    }

    /// <summary>
    /// Warns only the first time <paramref name="key"/> is seen in this load: a file that repeats an
    /// ignored keyword in every proxy gets one line about it, pointing at its first use.
    /// </summary>
    public void WarnOnce(string key, SourceLocation location, string? section, string? keyword, string message)
    {
        if (_warnedOnce.Add(key)) Warning(location, section, keyword, message);
    }

    public IReadOnlyList<ConfigDiagnostic> SortedErrors() => Sorted(_errors);

    public IReadOnlyList<ConfigDiagnostic> SortedWarnings() => Sorted(_warnings);

    /// <summary>In file order; OrderBy is stable, so several diagnostics of one line keep the order they were found in.</summary>
    private static List<ConfigDiagnostic> Sorted(List<ConfigDiagnostic> diagnostics) =>
        diagnostics.OrderBy(d => d.Location.File, StringComparer.Ordinal).ThenBy(d => d.Location.Line).ToList();
}
