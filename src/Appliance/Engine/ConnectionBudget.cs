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
    /// Derives the budget, raising RLIMIT_NOFILE when <c>maxconn</c> needs more descriptors; returns
    /// null with <paramref name="error"/> set when the limit cannot be raised far enough.
    /// </summary>
    public static ConnectionBudget? Plan(GlobalConfig global, int shards, out string? error)
    {
        error = null;
        (ulong current, ulong maximum) = Native.FileLimit.Get();
        int maxConn = global.MaxConn;
        if (maxConn <= 0)
        {
            // Like HAProxy without maxconn: as many as the descriptor limit allows (the hard one if we may).
            if (current < maximum && Native.FileLimit.RaiseTo(maximum) == 0) current = maximum;
            ulong usable = current > ReservedDescriptors ? current - ReservedDescriptors : 0;
            maxConn = (int)Math.Clamp(usable / DescriptorsPerConnection, 100UL, 1_000_000UL);
        }
        else
        {
            ulong needed = (ulong)maxConn * DescriptorsPerConnection + ReservedDescriptors;
            if (current < needed)
            {
                int rc = Native.FileLimit.RaiseTo(needed);
                if (rc != 0)
                {
                    error = $"global maxconn {maxConn} needs {needed} file descriptors, but the limit is {current} "
                          + $"(hard limit {maximum}) and raising it failed: {Errno.Message(-rc)}; lower maxconn or raise "
                          + "the limit (ulimit -n, LimitNOFILE=)";
                    return null;
                }
                current = needed;
            }
        }
        int perShard = (maxConn + shards - 1) / shards;
        int pipesPerShard = Math.Max(1, (maxConn / 2 + shards - 1) / shards);
        return new ConnectionBudget(maxConn, perShard, pipesPerShard, current);
    }
}
