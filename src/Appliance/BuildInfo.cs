using System.Reflection;

namespace Appliance;

/// <summary>The version stamped into the binary at build time (Directory.Build.props).</summary>
internal static class BuildInfo
{
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
