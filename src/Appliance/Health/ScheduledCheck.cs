using Appliance.Balancing;

namespace Appliance.Health;

/// <summary>
/// The prober's bookkeeping for one checked server. Fields are touched by the prober thread, except
/// <see cref="FinishedAt"/> and <see cref="Outcome"/>, which the finishing check writes before handing the
/// entry over through the prober's completion queue (the queue orders the writes before the reads).
/// </summary>
internal sealed class ScheduledCheck
{
    // A zero interval would make the scheduler spin; HAProxy's timers have 1 ms granularity.
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(1);

    public ScheduledCheck(ServerState server, IHealthCheck check)
    {
        Server = server;
        Check = check;
        State = new HealthCheckState(server.Config.Rise, server.Config.Fall);
        if (server.WasRestored) State.ResumeFrom(server.IsUp);
        Timeouts = CheckTimeouts.For(server.Config, server.Backend.Config.Timeouts);
        Inter = AtLeastMinimum(server.Config.EffectiveInter);
        FastInter = AtLeastMinimum(server.Config.EffectiveFastInter);
        DownInter = AtLeastMinimum(server.Config.EffectiveDownInter);
    }

    public ServerState Server { get; }

    public IHealthCheck Check { get; }

    public HealthCheckState State { get; }

    public CheckTimeouts Timeouts { get; }

    public TimeSpan Inter { get; }

    public TimeSpan FastInter { get; }

    public TimeSpan DownInter { get; }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which the next check is due.</summary>
    public long DueAt { get; set; }

    public bool InFlight { get; set; }

    /// <summary>The server was found in maintenance: checks are paused until it leaves it.</summary>
    public bool Paused { get; set; }

    public Task? Running { get; set; }

    /// <summary>Its server was deleted at runtime: a verdict still in flight is dropped.</summary>
    public bool Removed { get; set; }

    public long StartedAt { get; set; }

    public long FinishedAt { get; set; }

    public CheckOutcome Outcome { get; set; }

    public TimeSpan NextInterval() => State.NextInterval(Inter, FastInter, DownInter);

    private static TimeSpan AtLeastMinimum(TimeSpan interval) => interval < MinimumInterval ? MinimumInterval : interval;
}
