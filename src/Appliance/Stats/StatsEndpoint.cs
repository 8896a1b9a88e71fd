namespace Appliance.Stats;

/// <summary>
/// Where a configuration's statistics pages find the running worker: created with the compiled
/// configuration (before any worker exists), attached once the worker runs. Any thread.
/// </summary>
internal sealed class StatsEndpoint
{
    private volatile StatsSource? _source;

    public void Attach(StatsSource source) => _source = source;

    /// <summary>Null until a worker runs (the page then answers 503).</summary>
    public StatsSource? Source => _source;
}
