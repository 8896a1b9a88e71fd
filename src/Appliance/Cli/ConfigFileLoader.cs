using Appliance.Config;
using Appliance.Engine;

namespace Appliance.Cli;

/// <summary>
/// Loads and compiles a config file for a command (parse, validate, compile routes), printing every
/// warning and error to stderr.
/// </summary>
internal static class ConfigFileLoader
{
    public static CompiledConfig? Load(string path, TextWriter errors) =>
        Report(ConfigLoader.LoadFile(path), path, errors);

    public static CompiledConfig? LoadText(string text, string name, TextWriter errors) =>
        Report(ConfigLoader.LoadText(text, name), name, errors);

    private static CompiledConfig? Report(ConfigLoadResult result, string name, TextWriter errors)
    {
        var diagnostics = new List<ConfigDiagnostic>(result.Warnings.Concat(result.Errors));
        CompiledConfig? compiled = result.Succeeded ? CompiledConfig.Compile(result.Config!, diagnostics) : null;
        foreach (ConfigDiagnostic diagnostic in diagnostics.Where(d => d.IsWarning)) errors.WriteLine(diagnostic);
        var failures = diagnostics.Where(d => !d.IsWarning).ToList();
        foreach (ConfigDiagnostic diagnostic in failures) errors.WriteLine(diagnostic);
        if (compiled is null)
        {
            errors.WriteLine($"{name}: configuration has {failures.Count} error(s)");
            return null;
        }
        return compiled;
    }
}
