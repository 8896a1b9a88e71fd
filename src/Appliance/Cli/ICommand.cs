namespace Appliance.Cli;

/// <summary>A subcommand of the <c>appliance</c> executable.</summary>
internal interface ICommand
{
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>Full usage text for <c>appliance NAME --help</c>.</summary>
    string Usage { get; }

    /// <summary>Not listed in the overview (internal commands, e.g. the worker process).</summary>
    bool Hidden => false;

    /// <summary>Runs the command; returns the process exit code.</summary>
    int Execute(CommandArguments arguments);
}
