using System.Net.Sockets;
using Appliance.Master;

namespace Appliance.Cli;

/// <summary><c>appliance reload [-S SOCKET]</c>: asks the master to reload and waits for the outcome.</summary>
internal sealed class ReloadCommand : ICommand
{
    /// <summary>Validation, worker start and READY on a loaded machine; the master bounds each step itself.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public string Name => "reload";

    public string Summary => "reload the running master's configuration (zero-loss socket handoff)";

    public string Usage => $"""
        Usage: appliance reload [-S MASTER_SOCKET]

        Asks the master (default socket {MasterProcess.DefaultMasterSocket}) to re-read its
        configuration file. An invalid file is refused: every error is printed and the
        exit status is 1, the running generation is untouched. Otherwise the master
        starts the next worker generation on the same listening sockets, waits until
        it serves, then drains the previous one; this command then prints the new
        generation number and exits 0.
        """;

    public int Execute(CommandArguments arguments)
    {
        List<string> sockets = arguments.TakeValues("-S", "--master-socket");
        if (sockets.Count > 1 || arguments.Remaining.Count > 0) return CommandLine.UsageError(this, null, arguments);
        string path = sockets.FirstOrDefault() ?? MasterProcess.DefaultMasterSocket;
        string answer;
        try
        {
            answer = ControlSocket.Send(path, "reload", Timeout);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"appliance reload: cannot reach the master at {path}: {e.Message}");
            return 1;
        }
        string[] lines = answer.Split('\n');
        int separator = Array.IndexOf(lines, "--");
        string messages = separator >= 0 ? string.Join('\n', lines[(separator + 1)..]).Trim('\n') : answer.Trim('\n');
        if (lines.Contains("Success=1"))
        {
            string generation = lines.FirstOrDefault(l => l.StartsWith("Generation=", StringComparison.Ordinal))?["Generation=".Length..] ?? "?";
            if (messages.Length > 0) Console.Error.WriteLine(messages);
            Console.Out.WriteLine($"reloaded: generation {generation} serving");
            return 0;
        }
        Console.Error.WriteLine(messages.Length > 0 ? messages : "appliance reload: the master refused the reload");
        return 1;
    }
}
