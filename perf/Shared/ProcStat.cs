namespace Appliance.Perf;

/// <summary>Reads /proc/PID/stat and status.</summary>
internal static class ProcStat
{
    /// <summary>Clock ticks per second (sysconf(_SC_CLK_TCK)); 100 on every Linux x86-64 build.</summary>
    public const double TicksPerSecond = 100;

    public static long CpuTicks(int pid)
    {
        string[]? f = Fields(pid);
        // After "pid (comm)": field 14 utime, 15 stime → indexes 11 and 12 of what follows the comm.
        return f is null ? 0 : long.Parse(f[11]) + long.Parse(f[12]);
    }

    public static int ParentPid(int pid)
    {
        string[]? f = Fields(pid);
        return f is null ? -1 : int.Parse(f[1]);
    }

    public static string? CpusAllowed(string statusPath) => StatusField(statusPath, "Cpus_allowed_list:");

    /// <summary>VmRSS in KiB (0 for a process that is gone or a kernel thread).</summary>
    public static long RssKib(int pid)
    {
        string? value = StatusField($"/proc/{pid}/status", "VmRSS:");
        // "VmRSS:	   12345 kB"
        return value is not null && long.TryParse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out long kib) ? kib : 0;
    }

    private static string? StatusField(string statusPath, string prefix)
    {
        try
        {
            foreach (string line in File.ReadLines(statusPath))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line[prefix.Length..].Trim();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>The fields after "(comm)" (the comm may contain spaces and parentheses), from state on.</summary>
    private static string[]? Fields(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        int close = text.LastIndexOf(')');
        return close < 0 ? null : text[(close + 2)..].Split(' ');
    }
}
