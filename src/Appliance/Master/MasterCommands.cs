using System.Text;

namespace Appliance.Master;

/// <summary>
/// The master CLI (<c>-S SOCKET</c>), HAProxy's master socket: <c>show proc</c>, <c>reload</c>, and
/// anything else is passed to the serving worker's runtime API at admin level (so <c>show stat</c>
/// works here without a <c>stats socket</c>).
/// </summary>
internal sealed class MasterCommands(MasterProcess master)
{
    public string Answer(string line) => Runtime.RuntimeApiServer.AnswerAll(line, Execute);

    private string Execute(string command)
    {
        string[] words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        switch (words)
        {
            case ["help"]:
                return "The following commands are valid at this level:\n"
                       + "  help                                    : this message\n"
                       + "  show proc                               : show the master and worker processes\n"
                       + "  reload                                  : reload the configuration (waits until the new generation serves)\n"
                       + "  <any runtime API command>               : run on the serving worker (admin level)\n\n";
            case ["show", "proc"]:
                return master.ShowProc();
            case ["reload"]:
                return ReloadAnswer(master.Reload("master CLI"));
            case ["reload", ..]:
                return "'reload' takes no argument.\nUsage: reload\n\n";
            default:
                return master.ForwardToWorker(command);
        }
    }

    /// <summary>HAProxy 2.7+'s answer shape: <c>Success=1|0</c>, then <c>--</c> and the messages.</summary>
    private static string ReloadAnswer(ReloadOutcome outcome)
    {
        var text = new StringBuilder();
        text.Append("Success=").Append(outcome.Succeeded ? '1' : '0').Append('\n');
        if (outcome.Succeeded) text.Append("Generation=").Append(outcome.Generation).Append('\n');
        text.Append("--\n").Append(outcome.Messages);
        if (outcome.Messages.Length > 0 && !outcome.Messages.EndsWith('\n')) text.Append('\n');
        return text.Append('\n').ToString();
    }
}
