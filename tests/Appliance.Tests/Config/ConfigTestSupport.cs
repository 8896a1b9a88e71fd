using System.Runtime.CompilerServices;
using Appliance.Config;
using Appliance.Config.Model;

namespace Appliance.Tests.Config;

/// <summary>Loads config text under the file name <c>test.cfg</c> with an injected, empty-by-default environment.</summary>
internal static class ConfigTestSupport
{
    public const string FileName = "test.cfg";

    public static ConfigLoadResult Load(string text, IReadOnlyDictionary<string, string>? environment = null) =>
        ConfigLoader.LoadText(text, FileName, name => environment is not null && environment.TryGetValue(name, out var v) ? v : null);

    /// <summary>Asserts the text loads without error (showing the errors otherwise) and returns the model.</summary>
    public static ApplianceConfig LoadValid(string text, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = Load(text, environment);
        Assert.True(result.Succeeded, "unexpected errors:\n" + string.Join("\n", result.Errors));
        return result.Config!;
    }

    /// <summary>Asserts exactly one error and returns it as printed.</summary>
    public static string SingleError(string text, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = Load(text, environment);
        Assert.False(result.Succeeded);
        Assert.Null(result.Config);
        Assert.True(result.Errors.Count == 1, "expected one error, got:\n" + string.Join("\n", result.Errors));
        return result.Errors[0].ToString();
    }

    public static string[] Warnings(string text) => Load(text).Warnings.Select(w => w.ToString()).ToArray();

    /// <summary>A valid config with one backend, used to host keywords under test.</summary>
    public static BackendConfig SingleBackend(string body)
    {
        var config = LoadValid("backend b\n" + body);
        return Assert.Single(config.Backends);
    }

    /// <summary>Path of a file under Config/Data in the source tree, found from this source file's location.</summary>
    public static string DataPath(string name, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Data", name);
}
