namespace Appliance.Forwarding.Http;

/// <summary>
/// How many connections to one server a shard needs, and so how many idle ones it keeps: HAProxy's
/// sizing of idle pools, per shard so parking and taking touch no shared state. A released connection
/// stays idle while the connections in use plus the idle ones fit in the estimated need (the peak in
/// use, decaying by half each purge period) plus <c>pool-low-conn</c>, or when the shard has no idle
/// connection to the server; every <c>pool-purge-delay</c>, half of the idle connections beyond the
/// need are closed, oldest first. Without it, clients that close after each request would fill the pool
/// with connections no one takes: safe reuse never gives a client's first request an idle connection,
/// so each of those clients opens its own.
/// </summary>
internal sealed class ConnectionNeedEstimate(long nextPurge)
{
    /// <summary>Most connections in use at once since the last purge (HAProxy's <c>max_used_conns</c>).</summary>
    public int PeakInUse { get; private set; }

    /// <summary>
    /// Connections expected to be needed (HAProxy's <c>est_need_conns</c>): raised at once to any new
    /// peak, lowered at each purge halfway towards the last period's peak.
    /// </summary>
    public int EstimatedNeed { get; private set; }

    /// <summary>When the current purge period ends (<see cref="Engine.TimerQueue.Never"/>: never purged).</summary>
    public long NextPurge { get; private set; } = nextPurge;

    /// <summary>
    /// Whether a connection just released may stay idle next to <paramref name="idle"/> others,
    /// <paramref name="inUse"/> counting it among the connections in use (the estimate learns peaks from it).
    /// </summary>
    public bool ShouldKeep(int inUse, int idle, int lowConn)
    {
        if (inUse > PeakInUse) PeakInUse = inUse;
        if (inUse > EstimatedNeed) EstimatedNeed = inUse;
        return idle == 0 || inUse + idle <= EstimatedNeed + lowConn;
    }

    /// <summary>
    /// Ends a purge period with <paramref name="inUse"/> connections in use and <paramref name="idle"/>
    /// idle: updates the estimate and returns how many of the oldest idle connections to close (half of
    /// those beyond the need, rounded up).
    /// </summary>
    public int EndPurgePeriod(int inUse, int idle, long nextPurge)
    {
        int exceeding = inUse + idle - Math.Max(PeakInUse, EstimatedNeed);
        EstimatedNeed = Math.Max((EstimatedNeed + PeakInUse) / 2, PeakInUse);
        PeakInUse = inUse;
        NextPurge = nextPurge;
        return exceeding <= 0 ? 0 : Math.Min(idle, (exceeding + 1) / 2);
    }
}
