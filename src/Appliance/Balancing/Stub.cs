// TEMPORARY stub, replaced by the balancing branch at merge.
using Appliance.Config.Model;
namespace Appliance.Balancing;
public sealed class ServerState
{
    public ServerState(ServerConfig config, string backendName, int index, int shardCount) { Config = config; BackendName = backendName; }
    public ServerConfig Config { get; }
    public string BackendName { get; }
    public void ConnectionOpened(int shard) { }
    public void ConnectionClosed(int shard) { }
}
public sealed class BackendState
{
    public BackendState(BackendConfig config, int shardCount) { Config = config; Servers = config.Servers.Items.Select((s, i) => new ServerState(s, config.Name, i, shardCount)).ToArray(); }
    public BackendConfig Config { get; }
    public ServerState[] Servers { get; }
}
public abstract class Balancer
{
    public static Balancer Create(BackendState backend, int shard) => new Rr(backend);
    public abstract ServerState? Pick(uint clientHash, ServerState? exclude);
    private sealed class Rr(BackendState b) : Balancer { int i; public override ServerState? Pick(uint h, ServerState? e) => b.Servers.Length == 0 ? null : b.Servers[i++ % b.Servers.Length]; }
}
