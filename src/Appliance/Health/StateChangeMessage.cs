using System.Globalization;
using System.Text;
using Appliance.Balancing;

namespace Appliance.Health;

/// <summary>
/// Event-log lines for server state changes, worded exactly as HAProxy 2.x prints them (checked against
/// HAProxy 2.6's output), so existing log alerting keeps matching. This engine has no queues, so the
/// requeued / in-queue figures are always 0.
/// </summary>
public static class StateChangeMessage
{
    /// <summary>
    /// <c>Server web_back/app1 is DOWN, reason: Layer4 connection problem, info: "Connection refused",
    /// check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0
    /// remaining in queue.</c> — counts are taken after the change. An HTTP check that judged a status
    /// adds it before the info: <c>reason: Layer7 wrong status, code: 503, info: "Service Unavailable"</c>.
    /// </summary>
    public static string ServerDown(ServerState server, CheckOutcome outcome, TimeSpan duration, int usableActive, int usableBackup)
    {
        ArgumentNullException.ThrowIfNull(server);
        var line = new StringBuilder(192);
        AppendSubject(line, server, "DOWN");
        AppendReason(line, outcome, duration);
        line.Append(CultureInfo.InvariantCulture,
            $". {usableActive} active and {usableBackup} backup servers left.{RunningOnBackup(usableActive, usableBackup)}");
        line.Append(CultureInfo.InvariantCulture,
            $" {server.ActiveConnections} sessions active, 0 requeued, 0 remaining in queue.");
        return line.ToString();
    }

    /// <summary>
    /// <c>Server web_back/app1 is UP, reason: Layer4 check passed, check duration: 1ms. 2 active and 0
    /// backup servers online. 0 sessions requeued, 0 total in queue.</c> — an HTTP check adds the status
    /// it judged: <c>reason: Layer7 check passed, code: 200, info: "OK", check duration: 1ms</c>.
    /// </summary>
    public static string ServerUp(ServerState server, CheckOutcome outcome, TimeSpan duration, int usableActive, int usableBackup)
    {
        ArgumentNullException.ThrowIfNull(server);
        var line = new StringBuilder(160);
        AppendSubject(line, server, "UP");
        AppendReason(line, outcome, duration);
        line.Append(CultureInfo.InvariantCulture,
            $". {usableActive} active and {usableBackup} backup servers online.{RunningOnBackup(usableActive, usableBackup)}");
        line.Append(" 0 sessions requeued, 0 total in queue.");
        return line.ToString();
    }

    /// <summary><c>backend 'web_back' has no server available!</c> (an alert in HAProxy).</summary>
    public static string NoServerAvailable(BackendState backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return $"backend '{backend.Name}' has no server available!";
    }

    private static void AppendSubject(StringBuilder line, ServerState server, string state)
    {
        if (server.IsBackup) line.Append("Backup ");
        line.Append("Server ").Append(server.BackendName).Append('/').Append(server.Name).Append(" is ").Append(state);
    }

    private static void AppendReason(StringBuilder line, CheckOutcome outcome, TimeSpan duration)
    {
        line.Append(", reason: ").Append(outcome.Status.Description);
        if (outcome.Code is { } code) line.Append(CultureInfo.InvariantCulture, $", code: {code}");
        if (!string.IsNullOrEmpty(outcome.Info))
        {
            line.Append(", info: \"");
            AppendEscaped(line, outcome.Info);
            line.Append('"');
        }
        // HAProxy truncates the duration to whole milliseconds.
        line.Append(CultureInfo.InvariantCulture, $", check duration: {(long)duration.TotalMilliseconds}ms");
    }

    private static string RunningOnBackup(int usableActive, int usableBackup) =>
        usableActive == 0 && usableBackup > 0 ? " Running on backup." : "";

    /// <summary>As HAProxy's chunk_asciiencode: non-printable characters and the quote become <c>\xNN</c>.</summary>
    private static void AppendEscaped(StringBuilder line, string text)
    {
        foreach (char c in text)
        {
            if (c < 0x20 || c >= 0x7F || c == '"') line.Append(CultureInfo.InvariantCulture, $"\\x{(int)c & 0xFF:x2}");
            else line.Append(c);
        }
    }
}
