using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Native;

namespace Appliance.Forwarding;

/// <summary>
/// The server-choice rules TCP and HTTP sessions share: pick or queue, and HAProxy's retry policy
/// after a failed connect. Pure decisions; the sessions carry them out. Shard thread only.
/// </summary>
internal static class ServerSelection
{
    /// <summary>Picks a server, or says whether to queue (all usable servers full) or give up.</summary>
    public static PickOutcome Pick(Shard shard, Backend backend, uint clientHash, ServerState? excluded, out ServerState? server)
    {
        server = shard.BalancerFor(backend).Pick(clientHash, excluded);
        if (server is not null) return PickOutcome.Picked;
        return excluded is null && backend.AllUsableServersFull() ? PickOutcome.Queue : PickOutcome.NoServer;
    }

    /// <summary>
    /// After a failed connect, as HAProxy: retry up to <c>retries</c> times on the same server after a
    /// turn-around delay of min(timeout connect, 1 s) — none after a timeout — and, with
    /// <c>option redispatch</c>, move to another server on the last retry, without delay. Counts the
    /// failure, retry and redispatch in the shard's counters.
    /// </summary>
    public static RetryDecision AfterConnectFailure(Shard shard, Backend backend, ref int retriesLeft, int errno, bool retryAllowed = true)
    {
        ref ShardCounters counters = ref shard.Counters;
        counters.ConnectFailures++;
        shard.CountBackend(backend, Shard.BackendConnectErrors);
        if (retriesLeft <= 0 || !retryAllowed) return RetryDecision.GiveUp;
        retriesLeft--;
        counters.ConnectRetries++;
        shard.CountBackend(backend, Shard.BackendRetries);
        if (backend.Redispatch && retriesLeft == 0)
        {
            counters.Redispatches++;
            shard.CountBackend(backend, Shard.BackendRedispatches);
            return RetryDecision.Redispatch;
        }
        return errno == Errno.ETIMEDOUT ? RetryDecision.RetryNow : RetryDecision.RetryAfterDelay;
    }

    /// <summary>
    /// After a request failed at the server (<c>retry-on</c> empty/junk response, response timeout, a
    /// listed status): use one of the <c>retries</c>, moving to another server on the last one with
    /// <c>option redispatch</c>. No turn-around delay: the server did accept the connection.
    /// </summary>
    public static RetryDecision AfterRequestFailure(Shard shard, Backend backend, ref int retriesLeft)
    {
        if (retriesLeft <= 0) return RetryDecision.GiveUp;
        retriesLeft--;
        ref ShardCounters counters = ref shard.Counters;
        counters.ConnectRetries++;
        shard.CountBackend(backend, Shard.BackendRetries);
        if (backend.Redispatch && retriesLeft == 0)
        {
            counters.Redispatches++;
            shard.CountBackend(backend, Shard.BackendRedispatches);
            return RetryDecision.Redispatch;
        }
        return RetryDecision.RetryNow;
    }
}
