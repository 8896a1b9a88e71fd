using System.Text;
using Appliance.Balancing;
using Appliance.Engine;
using Appliance.Forwarding;

namespace Appliance.Runtime;

/// <summary>
/// HAProxy's <c>show servers conn [&lt;backend&gt;]</c>: per server, the connections in use and the idle
/// pool. Columns as HAProxy's; the idle pool is per shard here, so <c>used_max</c> and <c>need_est</c> are
/// the sums of each shard's peak and estimate, and <c>idle_per_thr</c> has one value per shard.
/// </summary>
internal static class ServerConnectionsReport
{
    public static string Render(Worker worker, Backend? only)
    {
        int shards = worker.ShardCount;
        var text = new StringBuilder("# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim idle_cur idle_per_thr[")
            .Append(shards).Append("]\n");
        foreach (Backend backend in worker.Backends)
        {
            if (only is not null && backend != only) continue;
            int backendId = worker.Frontends.Count + backend.Index + 1;
            foreach (ServerState server in backend.State.Servers)
            {
                int idle = 0, proven = 0, peak = 0, need = 0;
                for (int shard = 0; shard < shards; shard++)
                {
                    idle += server.IdleConnectionsOn(shard);
                    proven += server.ProvenIdleConnectionsOn(shard);
                    peak += server.PeakInUseOn(shard);
                    need += server.EstimatedNeedOn(shard);
                }
                text.Append(backend.Name).Append('/').Append(server.Name).Append(' ')
                    .Append(backendId).Append('/').Append(server.Index + 1).Append(' ')
                    .Append(server.Address.Address).Append(' ').Append(server.Address.Port).Append(" - ")
                    .Append((long)server.Config.EffectivePoolPurgeDelay.TotalMilliseconds).Append(' ')
                    .Append(server.ActiveConnections).Append(' ').Append(peak).Append(' ').Append(need).Append(' ')
                    .Append(idle - proven).Append(' ').Append(proven).Append(' ')
                    .Append(server.Config.PoolMaxConn).Append(' ').Append(idle);
                for (int shard = 0; shard < shards; shard++) text.Append(' ').Append(server.IdleConnectionsOn(shard));
                text.Append('\n');
            }
        }
        return text.Append('\n').ToString();
    }
}
