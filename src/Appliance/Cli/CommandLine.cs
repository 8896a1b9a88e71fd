namespace Appliance.Cli;

/// <summary>Dispatches <c>appliance COMMAND [options]</c> to the command table.</summary>
internal static class CommandLine
{
    private static readonly ICommand[] Commands =
    [
        new RunCommand(),
        new ReloadCommand(),
        new CtlCommand(),
        new CheckCommand(),
        new DemoCommand(),
        new VersionCommand(),
        new WorkerCommand(),
    ];

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            Console.Out.Write(Overview());
            return args.Length == 0 ? 2 : 0;
        }
        if (args[0] is "--version" or "-v") args[0] = "version";
        // HAProxy habit: "appliance -c -f FILE" checks a file.
        if (args[0] == "-c") args = ["check", .. args[1..]];

        foreach (ICommand command in Commands)
        {
            if (command.Name != args[0]) continue;
            var arguments = new CommandArguments(args[1..]);
            if (arguments.WantsHelp)
            {
                Console.Out.WriteLine(command.Usage);
                return 0;
            }
            return command.Execute(arguments);
        }
        Console.Error.WriteLine($"appliance: unknown command '{args[0]}'");
        Console.Error.Write(Overview());
        return 2;
    }

    /// <summary>Prints what was wrong and the command's usage; returns exit status 2.</summary>
    public static int UsageError(ICommand command, string? problem, CommandArguments arguments)
    {
        if (problem is not null) Console.Error.WriteLine($"appliance {command.Name}: {problem}");
        if (arguments.Remaining.Count > 0) Console.Error.WriteLine($"appliance {command.Name}: unexpected argument(s): {string.Join(' ', arguments.Remaining)}");
        Console.Error.WriteLine(command.Usage);
        return 2;
    }

    private static string Overview()
    {
        var text = new System.Text.StringBuilder("Usage: appliance COMMAND [options]\n\nCommands:\n");
        foreach (ICommand command in Commands.Where(c => !c.Hidden)) text.Append("  ").Append(command.Name.PadRight(10)).Append(command.Summary).Append('\n');
        text.Append("\nRun 'appliance COMMAND --help' for a command's options.\n");
        return text.ToString();
    }
}
