using Appliance.Engine;
using Appliance.Runtime;

namespace Appliance.Stats;

/// <summary>
/// What the statistics page reads: the running worker and the counters of the other generations, so
/// the page shows exactly the rows and values of <c>show stat</c>. Any thread.
/// </summary>
internal sealed class StatsSource
{
    private readonly Func<CounterSnapshot> _baseline;

    public StatsSource(Worker worker, Func<CounterSnapshot>? baseline, int generation)
    {
        Worker = worker;
        _baseline = baseline ?? (() => CounterSnapshot.Empty);
        Generation = generation;
    }

    public Worker Worker { get; }

    public int Generation { get; }

    /// <summary>The CSV of <c>show stat</c> (every proxy), rendered now.</summary>
    public string Csv() => StatCsv.Render(Worker, _baseline(), null);
}
