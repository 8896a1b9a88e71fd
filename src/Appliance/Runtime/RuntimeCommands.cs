using System.Text;
using Appliance.Config.Model;
using Appliance.Engine;

namespace Appliance.Runtime;

/// <summary>
/// The runtime API's command table (command words → minimum level → handler → help line). Every
/// answer ends with an empty line, as HAProxy's.
/// </summary>
internal sealed class RuntimeCommands
{
    private readonly Worker _worker;
    private readonly List<Command> _table;

    public RuntimeCommands(Worker worker)
    {
        _worker = worker;
        _table =
        [
            new("help", RuntimeApiLevel.User, "this message", _ => Help()),
            new("show info", RuntimeApiLevel.User, "report information about the running process", _ => ShowInfo()),
            new("show activity", RuntimeApiLevel.User, "show per-shard activity counters", _ => ShowActivity()),
        ];
    }

    public string Execute(string line, RuntimeApiLevel level)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (Command command in _table)
        {
            string[] name = command.Name.Split(' ');
            if (words.Length < name.Length || !name.AsSpan().SequenceEqual(words.AsSpan(0, name.Length))) continue;
            if (level < command.Level) return "Permission denied\n\n";
            return command.Handler(words[name.Length..]);
        }
        return $"Unknown command: '{line}'\n{Help()}";
    }

    private string Help()
    {
        var text = new StringBuilder("The following commands are valid at this level:\n");
        foreach (Command command in _table) text.Append("  ").Append(command.Name.PadRight(30)).Append(": ").Append(command.Help).Append('\n');
        return text.Append('\n').ToString();
    }

    private string ShowInfo()
    {
        var text = new StringBuilder();
        void Line(string key, object value) => text.Append(key).Append(": ").Append(value).Append('\n');
        Line("Name", "appliance");
        Line("Version", BuildInfo.Version);
        Line("Pid", Environment.ProcessId);
        Line("Uptime_sec", (long)(DateTime.UtcNow - _worker.StartedAt).TotalSeconds);
        Line("Nbthread", _worker.ShardCount);
        Line("Maxconn", _worker.Budget.MaxConn);
        Line("Maxsock", _worker.Budget.FileLimit);
        Line("CurrConns", _worker.Sum(c => Volatile.Read(ref c.CurrentConnections)));
        Line("CumConns", _worker.Sum(c => c.Accepted));
        Line("SplicedBytes", _worker.Sum(c => c.SplicedBytes));
        Line("ConnectRetries", _worker.Sum(c => c.ConnectRetries));
        Line("Redispatches", _worker.Sum(c => c.Redispatches));
        return text.Append('\n').ToString();
    }

    private string ShowActivity()
    {
        var text = new StringBuilder();
        void Line(string key, Func<ShardCounters, long> value)
        {
            text.Append(key).Append(": ").Append(_worker.Sum(value)).Append(" [");
            foreach (ShardCounters shard in _worker.Counters) text.Append(' ').Append(value(shard));
            text.Append(" ]\n");
        }
        Line("accepted", c => c.Accepted);
        Line("curr_conns", c => c.CurrentConnections);
        Line("spliced_bytes", c => c.SplicedBytes);
        Line("connect_failures", c => c.ConnectFailures);
        Line("no_server", c => c.NoServer);
        Line("accept_errors", c => c.AcceptErrors);
        return text.Append('\n').ToString();
    }

    private sealed record Command(string Name, RuntimeApiLevel Level, string Help, Func<string[], string> Handler);
}
