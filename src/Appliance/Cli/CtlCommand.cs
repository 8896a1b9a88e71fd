using System.Net.Sockets;
using Appliance.Master;

namespace Appliance.Cli;

/// <summary><c>appliance ctl 'CMD' [-s SOCKET | -S MASTER_SOCKET]</c>: one runtime API command, answer on stdout.</summary>
internal sealed class CtlCommand : ICommand
{
    public const string DefaultStatsSocket = "/run/appliance/admin.sock";

    public string Name => "ctl";

    public string Summary => "send one runtime API command (show stat, disable server, ...) and print the answer";

    public string Usage => $"""
        Usage: appliance ctl 'COMMAND' [-s STATS_SOCKET | -S MASTER_SOCKET]

        Sends COMMAND to the runtime API ('stats socket', default {DefaultStatsSocket})
        or, with -S, to the master CLI (show proc, reload, and runtime commands run on
        the serving worker) and prints the answer, as
          echo 'COMMAND' | socat stdio unix:SOCKET
        would. Exit status 1 when the socket cannot be reached or the command is
        refused (unknown, bad arguments, permission denied).
        """;

    public int Execute(CommandArguments arguments)
    {
        List<string> stats = arguments.TakeValues("-s", "--socket");
        List<string> master = arguments.TakeValues("-S", "--master-socket");
        if (arguments.Remaining.Count != 1 || stats.Count + master.Count > 1)
        {
            return CommandLine.UsageError(this, arguments.Remaining.Count == 0 ? "missing COMMAND" : null,
                arguments.Remaining.Count > 1 ? arguments : new CommandArguments([]));
        }
        string command = arguments.Remaining[0];
        string path = stats.FirstOrDefault() ?? master.FirstOrDefault() ?? DefaultStatsSocket;
        string answer;
        try
        {
            answer = ControlSocket.Send(path, command, TimeSpan.FromSeconds(90));
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"appliance ctl: cannot reach {path}: {e.Message}");
            return 1;
        }
        Console.Out.Write(answer);
        bool refused = answer.StartsWith("Unknown command", StringComparison.Ordinal)
                       || answer.StartsWith("Permission denied", StringComparison.Ordinal)
                       || answer.Contains("\nUsage: ", StringComparison.Ordinal)
                       || answer.StartsWith("Success=0", StringComparison.Ordinal);
        return refused ? 1 : 0;
    }
}
