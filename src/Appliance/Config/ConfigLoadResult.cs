using Appliance.Config.Model;

namespace Appliance.Config;

/// <summary>
/// The outcome of loading a config: the model when the file has no error, and every error and warning
/// found, in file order. Warnings never prevent loading.
/// </summary>
public sealed record ConfigLoadResult(
    ApplianceConfig? Config,
    IReadOnlyList<ConfigDiagnostic> Errors,
    IReadOnlyList<ConfigDiagnostic> Warnings)
{
    public bool Succeeded => Errors.Count == 0 && Config is not null;
}
