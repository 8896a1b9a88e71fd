using Appliance.Config.Model;
using Appliance.Config.Parsing;
using Appliance.Config.Values;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>cpu-map [auto:]GROUP[/THREADS] CPUS…</c>. Only thread group 1 exists here, so GROUP is <c>1</c> (or
/// <c>all</c>), and a lone <c>1</c> means every thread, as in HAProxy. THREADS is <c>all</c>, <c>odd</c>,
/// <c>even</c>, <c>N</c>, <c>N-M</c> or <c>N-</c>; CPUS are <c>N</c>, <c>N-M</c> or <c>N-</c>. With <c>auto:</c>
/// the sorted threads and the sorted CPUs are paired one to one, so both sets must have the same size.
/// Threads above the shard count are ignored by the engine, which is what HAProxy does with threads above
/// nbthread; that is why <c>all</c> stands for threads 1..64.
/// </summary>
internal static class CpuMapKeyword
{
    /// <summary>glibc's CPU_SETSIZE: the largest set sched_setaffinity takes with a default cpu_set_t.</summary>
    private const int MaxCpu = 1023;

    /// <summary>HAProxy completes an open CPU range <c>N-</c> up to its word size, 64 CPUs.</summary>
    private const int OpenEndedCpu = 63;

    public static void Parse(KeywordLine line, GlobalSection global)
    {
        if (!line.HasArguments(2, int.MaxValue)) return;
        string threadText = line.Argument(0);
        bool auto = threadText.StartsWith("auto:", StringComparison.Ordinal);
        if (auto) threadText = threadText["auto:".Length..];
        if (!TryParseThreads(threadText, out var threads, out string error))
        {
            line.Error(error);
            return;
        }
        var cpus = new SortedSet<int>();
        for (int i = 1; i < line.ArgumentCount; i++)
        {
            if (!TryParseRange(line.Argument(i), 0, MaxCpu, OpenEndedCpu, "CPU", out int low, out int high, out error))
            {
                line.Error(error);
                return;
            }
            for (int cpu = low; cpu <= high; cpu++) cpus.Add(cpu);
        }
        if (!auto)
        {
            global.CpuMaps.Add(new CpuMapConfig(new ValueList<int>(threads), new ValueList<int>(cpus), line.Location));
            return;
        }
        if (threads.Count != cpus.Count)
        {
            line.Error($"auto: needs as many CPUs as threads (got {threads.Count} threads and {cpus.Count} CPUs)");
            return;
        }
        int index = 0;
        foreach (int cpu in cpus)
        {
            global.CpuMaps.Add(new CpuMapConfig(new ValueList<int>([threads[index++]]), new ValueList<int>([cpu]), line.Location));
        }
    }

    private static bool TryParseThreads(string text, out List<int> threads, out string error)
    {
        threads = new List<int>();
        int slash = text.IndexOf('/');
        string group = slash < 0 ? text : text[..slash];
        string set = slash < 0 ? "all" : text[(slash + 1)..];
        if (group is not ("1" or "1-1" or "all"))
        {
            error = $"thread group '{group}' does not exist: only group 1 is supported (write 1/THREADS)";
            return false;
        }
        int max = GlobalKeywords.MaxThreads;
        switch (set)
        {
            case "all":
                for (int t = 1; t <= max; t++) threads.Add(t);
                error = string.Empty;
                return true;
            case "odd":
                for (int t = 1; t <= max; t += 2) threads.Add(t);
                error = string.Empty;
                return true;
            case "even":
                for (int t = 2; t <= max; t += 2) threads.Add(t);
                error = string.Empty;
                return true;
        }
        if (!TryParseRange(set, 1, max, max, "thread", out int low, out int high, out error)) return false;
        for (int t = low; t <= high; t++) threads.Add(t);
        return true;
    }

    private static bool TryParseRange(string text, int min, int max, int openEnd, string what, out int low, out int high, out string error)
    {
        low = high = 0;
        int dash = text.IndexOf('-');
        string first = dash < 0 ? text : text[..dash];
        string? last = dash < 0 ? first : text[(dash + 1)..];
        if (!IntegerValue.TryParse(first, min, max, out low, out _)
            || (last.Length > 0 && !IntegerValue.TryParse(last, min, max, out high, out _)))
        {
            error = $"invalid {what} set '{text}' (expected N, N-M or N- with {what}s {min}..{max})";
            return false;
        }
        if (last.Length == 0) high = openEnd;
        if (high < low)
        {
            error = $"invalid {what} set '{text}': the range is reversed";
            return false;
        }
        error = string.Empty;
        return true;
    }
}
