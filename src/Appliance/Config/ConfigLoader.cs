using Appliance.Config.Lexing;
using Appliance.Config.Model;
using Appliance.Config.Parsing;
using Appliance.Config.Validation;

namespace Appliance.Config;

/// <summary>
/// Reads a configuration in HAProxy's dialect: lexing, section parsing, cross-reference validation, then
/// the immutable model. Never throws for a bad file: every problem comes back as a diagnostic.
/// Runs once per load on the master, not on the data path.
/// </summary>
public static class ConfigLoader
{
    public static ConfigLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            string reason = e switch
            {
                FileNotFoundException or DirectoryNotFoundException => "file not found",
                UnauthorizedAccessException => "permission denied",
                _ => e.Message,
            };
            var error = new ConfigDiagnostic(new SourceLocation(path, 0), null, null, $"cannot read configuration file: {reason}");
            return new ConfigLoadResult(null, [error], []);
        }
        return LoadText(text, path);
    }

    /// <summary>Loads <paramref name="text"/>; <paramref name="fileName"/> is only used in diagnostics and <c>.FILE</c>.</summary>
    public static ConfigLoadResult LoadText(string text, string fileName) =>
        LoadText(text, fileName, Environment.GetEnvironmentVariable);

    /// <summary>Same, with the environment that <c>"${VAR}"</c> reads injected (tests must not depend on the real one).</summary>
    internal static ConfigLoadResult LoadText(string text, string fileName, Func<string, string?> environment)
    {
        // File.ReadAllText drops a byte-order mark; text from elsewhere may still carry one.
        if (text.StartsWith('\uFEFF')) text = text[1..];
        var diagnostics = new DiagnosticBag();
        var lines = ConfigLexer.Split(text, fileName, environment);
        var parsed = ConfigParser.Parse(lines, fileName, diagnostics);
        ConfigValidator.Validate(parsed, diagnostics);
        var config = diagnostics.ErrorCount == 0 ? ConfigAssembler.Build(parsed) : null;
        return new ConfigLoadResult(config, diagnostics.SortedErrors(), diagnostics.SortedWarnings());
    }
}
