using System.Globalization;
using System.Text;

namespace Appliance.Master;

/// <summary>
/// The text of the master CLI's <c>show proc</c>, in HAProxy's layout: fixed 16-character columns,
/// the master first, then the serving worker, starting ones, and the old (draining) ones.
/// </summary>
internal sealed class ProcTable
{
    private readonly StringBuilder _text = new("#<PID>          <type>          <reloads>       <uptime>        <version>       <generation>\n");

    public void Master(int reloads, int failedReloads, DateTime startedAt, int generation) =>
        Row(Environment.ProcessId, "master", $"{reloads} [failed: {failedReloads}]", startedAt, generation);

    public void Section(string title) => _text.Append("# ").Append(title).Append('\n');

    public void Worker(WorkerProcess worker, bool starting = false) =>
        Row(worker.Pid, "worker", starting ? "0" : worker.Reloads.ToString(CultureInfo.InvariantCulture), worker.StartedAt, worker.Generation);

    public string Finish(int restarts) => _text.Append($"# restarts: {restarts}\n").Append('\n').ToString();

    private void Row(int pid, string type, string reloads, DateTime started, int generation)
    {
        TimeSpan up = DateTime.UtcNow - started;
        string uptime = $"{(int)up.TotalDays}d{up.Hours:00}h{up.Minutes:00}m{up.Seconds:00}s";
        _text.Append(pid.ToString(CultureInfo.InvariantCulture).PadRight(16))
            .Append(type.PadRight(16))
            .Append(reloads.PadRight(16))
            .Append(uptime.PadRight(16))
            .Append(BuildInfo.Version.PadRight(16))
            .Append(generation.ToString(CultureInfo.InvariantCulture))
            .Append('\n');
    }
}
