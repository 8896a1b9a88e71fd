using System.Globalization;

namespace Appliance.IntegrationTests.Harness;

/// <summary>What /proc tells about a process under test: open descriptors, descendants, fd limits and CPU time.</summary>
public static class ProcFileSystem
{
    /// <summary>
    /// Open descriptors of <paramref name="pid"/> plus those of its descendants: a leak in a worker process must
    /// count as much as one in the master.
    /// </summary>
    public static int CountOpenFileDescriptors(int pid) =>
        new[] { pid }.Concat(Descendants(pid)).Sum(CountOwnFileDescriptors);

    public static IReadOnlyList<int> Descendants(int pid)
    {
        var parentOf = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out int candidate) && TryReadParent(candidate) is { } parent)
            {
                parentOf[candidate] = parent;
            }
        }

        var found = new List<int>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out int current))
        {
            foreach (var (child, parent) in parentOf)
            {
                if (parent == current)
                {
                    found.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }

        return found;
    }

    /// <summary>RLIMIT_NOFILE of a process as /proc/PID/limits shows it; "unlimited" is <see cref="long.MaxValue"/>.</summary>
    public static (long Soft, long Hard) ReadOpenFilesLimit(int pid)
    {
        const string row = "Max open files";
        var line = File.ReadLines($"/proc/{pid}/limits").FirstOrDefault(l => l.StartsWith(row, StringComparison.Ordinal))
                   ?? throw new InvalidDataException($"/proc/{pid}/limits has no '{row}' row");
        var values = line[row.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (ParseLimit(values[0]), ParseLimit(values[1]));
    }

    /// <summary>CPU time (user + system) a process has used so far, all its threads, from /proc/PID/stat.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        // Fields after "(comm)": state is the first, utime the 12th, stime the 13th (clock ticks; 100 per second on Linux).
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static int CountOwnFileDescriptors(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (DirectoryNotFoundException)
        {
            // A descendant that exited between listing and counting holds nothing.
            return 0;
        }
    }

    private static int? TryReadParent(int pid)
    {
        try
        {
            // Format: "pid (comm) state ppid …"; comm may contain spaces and parentheses, so parse after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long ParseLimit(string value) =>
        value == "unlimited" ? long.MaxValue : long.Parse(value, CultureInfo.InvariantCulture);
}
