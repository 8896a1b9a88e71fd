using System.Diagnostics;

namespace Appliance.Load.Client;

/// <summary>
/// Runs worker threads for a fixed duration with a live progress line on stderr (once per second), and
/// an optional side action (reloads, a backend kill) on its own thread at the same time. Bounded: workers
/// that are still running 2 × timeout after the deadline are reported as hung and abandoned.
/// </summary>
internal static class LoadRunner
{
    public static Measured Run(string label, int workers, TimeSpan duration, TimeSpan timeout,
        Func<int, long, WorkerStats, Action> worker, Action<SideContext>? side, List<string> notes)
    {
        var stats = Enumerable.Range(0, workers).Select(_ => new WorkerStats()).ToList();
        var sideStats = new WorkerStats();
        // Every worker starts on the same tick, 200 ms from now, so all threads are up first.
        long start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 5;
        var threads = new List<Thread>();
        for (int i = 0; i < workers; i++)
        {
            Action body = worker(i, start, stats[i]);
            threads.Add(new Thread(() => body()) { IsBackground = true, Name = $"{label}-{i}" });
        }
        foreach (Thread t in threads) t.Start();
        Pacer.WaitUntil(start);
        var clock = Stopwatch.StartNew();
        Thread? sideThread = null;
        if (side is not null)
        {
            var context = new SideContext(clock, duration, sideStats, notes);
            sideThread = new Thread(() => side(context)) { IsBackground = true, Name = $"{label}-side" };
            sideThread.Start();
        }

        TimeSpan limit = duration + 2 * timeout + TimeSpan.FromSeconds(5);
        long lastOk = 0;
        TimeSpan nextLine = TimeSpan.FromSeconds(1);
        while (threads.Any(t => t.IsAlive) && clock.Elapsed < limit)
        {
            // Wait for the workers until the next whole second, so the line comes once per second.
            while (threads.FirstOrDefault(t => t.IsAlive) is { } alive && clock.Elapsed < nextLine)
            {
                alive.Join(nextLine - clock.Elapsed);
            }
            nextLine += TimeSpan.FromSeconds(1);
            if (!threads.Any(t => t.IsAlive)) break;
            long ok = stats.Sum(s => s.Ok);
            long errors = stats.Sum(s => s.ErrorCount) + sideStats.ErrorCount;
            double mib = stats.Sum(s => s.VerifiedBytes) / (1024.0 * 1024);
            Console.Error.WriteLine($"  [{label}] {clock.Elapsed.TotalSeconds,5:0.0}/{duration.TotalSeconds:0} s  ok {ok,10:N0}  " +
                                    $"(+{ok - lastOk:N0}/s)  verified {mib,9:N0} MiB  errors {errors:N0}");
            lastOk = ok;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        int hung = threads.Count(t => t.IsAlive);
        for (int i = 0; i < hung; i++) sideStats.Error(ErrorKind.HungWorker);
        if (sideThread is not null && !sideThread.Join(timeout + TimeSpan.FromSeconds(90)))
        {
            sideStats.Error(ErrorKind.HungWorker);
            lock (notes) notes.Add("side action still running after the run");
        }
        // A hung worker's stats may still change; it is reported and its histogram read as is.
        return new Measured([.. stats, sideStats], Math.Min(seconds, duration.TotalSeconds + timeout.TotalSeconds * 2));
    }
}
