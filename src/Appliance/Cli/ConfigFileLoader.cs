using Appliance.Config;
using Appliance.Config.Model;

namespace Appliance.Cli;

/// <summary>Loads a config file for a command, printing warnings and every error to stderr.</summary>
internal static class ConfigFileLoader
{
    public static ApplianceConfig? Load(string path, TextWriter errors)
    {
        ConfigLoadResult result = ConfigLoader.LoadFile(path);
        foreach (ConfigDiagnostic warning in result.Warnings) errors.WriteLine(warning);
        foreach (ConfigDiagnostic error in result.Errors) errors.WriteLine(error);
        if (!result.Succeeded)
        {
            errors.WriteLine($"{path}: configuration has {result.Errors.Count} error(s)");
            return null;
        }
        return result.Config;
    }
}
