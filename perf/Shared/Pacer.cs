using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Appliance.Perf;

/// <summary>
/// Precise waits for open-loop (constant-rate) clients: usleep until shortly before the due time, then
/// spin the last microseconds. Linked into CompareRunner and Appliance.Load (perf/Shared).
/// </summary>
internal static partial class Pacer
{
    private const int PrSetTimerSlack = 29;

    /// <summary>1 ns timer slack for the calling thread: usleep wakes when asked, not 50 µs later.</summary>
    public static void UseFineTimerSlack() => _ = Prctl(PrSetTimerSlack, 1, 0, 0, 0);

    /// <summary>Returns at <paramref name="due"/> (a <see cref="Stopwatch"/> timestamp) or at once if it passed.</summary>
    public static void WaitUntil(long due)
    {
        long frequency = Stopwatch.Frequency;
        while (true)
        {
            long remaining = due - Stopwatch.GetTimestamp();
            if (remaining <= 0) return;
            long micros = remaining * 1_000_000 / frequency;
            if (micros > 30) _ = Usleep((uint)Math.Min(micros - 20, 1_000_000));
            else Thread.SpinWait(20);
        }
    }

    [LibraryImport("libc", EntryPoint = "usleep")]
    private static partial int Usleep(uint microseconds);

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);
}
