using Appliance.Config.Model;
using Appliance.Native;

namespace Appliance.Engine;

/// <summary>
/// Turns <c>maxconn</c> into descriptor needs and per-shard quotas. A proxied connection costs two
/// sockets, plus a pipe (two descriptors) while bytes are in flight; as HAProxy, pipes are capped at
/// half the connections, so one connection costs three descriptors on average, plus a reserve for
/// listeners, checks and the control plane.
/// </summary>
internal sealed record ConnectionBudget(int MaxConn, int MaxConnPerShard, int MaxPipesPerShard, ulong FileLimit)
{
    private const int DescriptorsPerConnection = 3;
    private const int ReservedDescriptors = 256;

    /// <summary>
    /// Derives the budget, raising RLIMIT_NOFILE when <c>maxconn</c> needs more descriptors. When the limit
    /// cannot be raised far enough: with <c>strict-limits</c> (the default) returns null with
    /// <paramref name="error"/> set; with <c>no strict-limits</c> raises it as far as allowed, sets
    /// <paramref name="warning"/> and keeps <c>maxconn</c> (accept then pauses on EMFILE until a
    /// connection ends, as HAProxy does).
    /// </summary>
    public static ConnectionBudget? Plan(GlobalConfig global, int shards, out string? error, out string? warning)
    {
        error = null;
        warning = null;
        (ulong current, ulong maximum) = Native.FileLimit.Get();
        int maxConn = global.MaxConn;
        if (maxConn <= 0)
        {
            // Like HAProxy without maxconn: as many as the descriptor limit allows (the hard one if we may).
            current = RaiseToHardLimit(current, maximum);
            ulong usable = current > ReservedDescriptors ? current - ReservedDescriptors : 0;
            maxConn = (int)Math.Clamp(usable / DescriptorsPerConnection, 100UL, 1_000_000UL);
        }
        else
        {
            ulong needed = (ulong)maxConn * DescriptorsPerConnection + ReservedDescriptors;
            if (current < needed)
            {
                int rc = Native.FileLimit.RaiseTo(needed);
                if (rc == 0)
                {
                    current = needed;
                }
                else
                {
                    string problem = $"global maxconn {maxConn} needs {needed} file descriptors, but the limit is {current} "
                                   + $"(hard limit {maximum}) and raising it failed: {Errno.Message(-rc)}";
                    if (global.StrictLimits)
                    {
                        error = problem + "; lower maxconn, raise the limit (ulimit -n, LimitNOFILE=) or set 'no strict-limits'";
                        return null;
                    }
                    current = RaiseToHardLimit(current, maximum);
                    warning = problem + $"; running with {current} because of 'no strict-limits': connections beyond the "
                            + "descriptors wait in the listen queue until others end";
                }
            }
        }
        int perShard = (maxConn + shards - 1) / shards;
        int pipesPerShard = Math.Max(1, (maxConn / 2 + shards - 1) / shards);
        return new ConnectionBudget(maxConn, perShard, pipesPerShard, current);
    }

    /// <summary>Raises the soft descriptor limit to the hard one; returns the limit now in force.</summary>
    private static ulong RaiseToHardLimit(ulong current, ulong maximum) =>
        current < maximum && Native.FileLimit.RaiseTo(maximum) == 0 ? maximum : current;
}
