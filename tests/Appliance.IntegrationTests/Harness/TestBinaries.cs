using System.Reflection;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Finds the programs under test. <c>APPLIANCE_BIN</c> / <c>TESTBACKEND_BIN</c> win (e.g. a native AOT publish);
/// otherwise the build output of the same configuration as this test assembly, found by walking up to
/// <c>Appliance.sln</c>. The ProjectReferences in the .csproj make <c>dotnet test</c> build both first.
/// </summary>
public static class TestBinaries
{
    public const string ApplianceVariable = "APPLIANCE_BIN";
    public const string TestBackendVariable = "TESTBACKEND_BIN";

    // The projects all target the same framework (Directory.Build.props).
    private const string TargetFramework = "net10.0";

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);
    private static readonly Lazy<LaunchCommand> ApplianceCommand =
        new(() => Locate(ApplianceVariable, Path.Combine("src", "Appliance"), "appliance"));
    private static readonly Lazy<LaunchCommand> TestBackendCommand =
        new(() => Locate(TestBackendVariable, Path.Combine("tests", "Appliance.TestBackend"), "Appliance.TestBackend"));

    public static LaunchCommand Appliance => ApplianceCommand.Value;

    public static LaunchCommand TestBackend => TestBackendCommand.Value;

    public static string RepositoryRoot => Root.Value;

    /// <summary>Debug or Release: whatever this test assembly was built as.</summary>
    public static string Configuration =>
        typeof(TestBinaries).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static LaunchCommand Locate(string variable, string projectDirectory, string assemblyName)
    {
        var configured = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(configured);
            return File.Exists(path)
                ? ForFile(path)
                : throw new FileNotFoundException($"{variable} points at '{path}', which does not exist.", path);
        }

        var output = Path.Combine(RepositoryRoot, projectDirectory, "bin", Configuration, TargetFramework);
        var apphost = Path.Combine(output, assemblyName);
        if (File.Exists(apphost))
        {
            return ForFile(apphost);
        }

        var dll = Path.Combine(output, assemblyName + ".dll");
        if (File.Exists(dll))
        {
            return ForFile(dll);
        }

        throw new FileNotFoundException(
            $"Neither {apphost} nor {dll} exists: build {projectDirectory} ({Configuration}) or set {variable}.");
    }

    private static LaunchCommand ForFile(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? new LaunchCommand(DotnetHost(), [path])
            : new LaunchCommand(path, []);

    private static string DotnetHost()
    {
        // The SDK exports the host it runs on to its children; fall back to PATH lookup.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return string.IsNullOrEmpty(host) ? "dotnet" : host;
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Appliance.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Appliance.sln above {AppContext.BaseDirectory}.");
    }
}
