namespace Appliance.Cli;

/// <summary><c>appliance version</c>.</summary>
internal sealed class VersionCommand : ICommand
{
    public string Name => "version";

    public string Summary => "print the version";

    public string Usage => "Usage: appliance version\n\nPrints the version and exits.";

    public int Execute(CommandArguments arguments)
    {
        if (arguments.Remaining.Count > 0) return CommandLine.UsageError(this, null, arguments);
        Console.Out.WriteLine($"appliance {BuildInfo.Version} (native AOT, linux-x64)");
        return 0;
    }
}
