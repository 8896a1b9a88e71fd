using System.Diagnostics;

namespace Appliance.Load.Client;

/// <summary>What a side action may use: the run's clock and duration, a place for notes and errors.</summary>
internal sealed class SideContext(Stopwatch clock, TimeSpan duration, WorkerStats stats, List<string> notes)
{
    public TimeSpan Elapsed => clock.Elapsed;

    public TimeSpan Duration => duration;

    public WorkerStats Stats => stats;

    public void Note(string text)
    {
        lock (notes) notes.Add($"{clock.Elapsed.TotalSeconds:0.00} s: {text}");
    }

    /// <summary>Sleeps until <paramref name="at"/> into the run (at once if passed).</summary>
    public void WaitUntil(TimeSpan at)
    {
        TimeSpan left = at - clock.Elapsed;
        if (left > TimeSpan.Zero) Thread.Sleep(left);
    }
}
