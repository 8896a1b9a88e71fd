using System.Globalization;
using System.Text;
using Appliance.Config.Model;

namespace Appliance.Logging;

/// <summary>
/// The header a log target's <c>format</c> puts before each message, as HAProxy writes it:
/// rfc3164 <c>&lt;PRI&gt;Mmm dd hh:mm:ss tag[pid]: </c> (no hostname, as HAProxy without
/// <c>log-send-hostname</c>), rfc5424 <c>&lt;PRI&gt;1 TIMESTAMP HOST tag PID - - </c>, short <c>&lt;PRI&gt;</c>, raw nothing.
/// </summary>
internal static class SyslogHeader
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Writes the header into <paramref name="destination"/> and returns its length.</summary>
    public static int Write(Span<byte> destination, LogTargetConfig target, int level, DateTimeOffset now, string tag, string host, int pid)
    {
        if (target.Format == SyslogFormat.Raw) return 0;
        int priority = target.Facility * 8 + level;
        string text = target.Format switch
        {
            SyslogFormat.Short => string.Create(CultureInfo.InvariantCulture, $"<{priority}>"),
            SyslogFormat.Rfc5424 => string.Create(CultureInfo.InvariantCulture,
                $"<{priority}>1 {now:yyyy-MM-ddTHH:mm:ss.ffffffzzz} {host} {tag} {pid} - - "),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"<{priority}>{Months[now.Month - 1]} {now.Day,2} {now:HH:mm:ss} {tag}[{pid}]: "),
        };
        return Encoding.ASCII.GetBytes(text, destination);
    }
}
