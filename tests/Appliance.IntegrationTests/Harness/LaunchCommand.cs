namespace Appliance.IntegrationTests.Harness;

/// <summary>How to start a program: the file to execute and the arguments that precede the caller's own
/// (e.g. <c>dotnet</c> + <c>Foo.dll</c> for a framework-dependent build without an apphost).</summary>
public sealed record LaunchCommand(string FileName, IReadOnlyList<string> LeadingArguments)
{
    public override string ToString() => string.Join(' ', [FileName, .. LeadingArguments]);
}
