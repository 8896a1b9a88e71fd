// TEMPORARY stub, replaced by the config branch at merge.
using Appliance.Config.Model;
namespace Appliance.Config;
public sealed record ConfigLoadResult(ApplianceConfig? Config, IReadOnlyList<ConfigDiagnostic> Errors, IReadOnlyList<ConfigDiagnostic> Warnings) { public bool Succeeded => Errors.Count == 0 && Config is not null; }
public static class ConfigLoader { public static ConfigLoadResult LoadFile(string path) => throw new NotImplementedException(); public static ConfigLoadResult LoadText(string text, string fileName) => throw new NotImplementedException(); }
