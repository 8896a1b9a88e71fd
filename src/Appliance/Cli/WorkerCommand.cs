using System.Globalization;
using Appliance.Logging;
using Appliance.Master;

namespace Appliance.Cli;

/// <summary><c>appliance worker --channel-fd N --generation G</c>: a worker process, started by the master only.</summary>
internal sealed class WorkerCommand : ICommand
{
    public string Name => "worker";

    public string Summary => "(internal) a worker process started by the master";

    public bool Hidden => true;

    public string Usage => """
        Usage: appliance worker --channel-fd N --generation G

        Internal: the master starts workers with this command and hands them the
        listening sockets over the channel. Not meant to be run by hand.
        """;

    public int Execute(CommandArguments arguments)
    {
        List<string> channel = arguments.TakeValues("--channel-fd");
        List<string> generation = arguments.TakeValues("--generation");
        if (channel.Count != 1 || generation.Count != 1 || arguments.Remaining.Count > 0
            || !int.TryParse(channel[0], NumberStyles.None, CultureInfo.InvariantCulture, out int fd)
            || !int.TryParse(generation[0], NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            return CommandLine.UsageError(this, "worker needs --channel-fd N and --generation G", arguments);
        }
        return WorkerHost.Run(fd, number, new StderrEventLog());
    }
}
