namespace Appliance.Cli;

/// <summary><c>appliance check -f FILE</c>: validates like <c>haproxy -c</c>.</summary>
internal sealed class CheckCommand : ICommand
{
    public string Name => "check";

    public string Summary => "validate a configuration file and exit (0 = valid)";

    public string Usage => """
        Usage: appliance check -f FILE

        Parses and validates FILE (HAProxy dialect) and prints every error as
        FILE:LINE: section 'NAME': keyword 'KW': message. Exit status 0 when the
        configuration is valid, 1 when it is not.
        """;

    public int Execute(CommandArguments arguments)
    {
        List<string> files = arguments.TakeValues("-f", "--file");
        arguments.TakeFlag("-c", "-q");
        if (files.Count != 1 || arguments.Remaining.Count > 0) return CommandLine.UsageError(this, files.Count == 0 ? "missing -f FILE" : null, arguments);
        if (ConfigFileLoader.Load(files[0], Console.Error) is null) return 1;
        Console.Out.WriteLine("Configuration file is valid");
        return 0;
    }
}
