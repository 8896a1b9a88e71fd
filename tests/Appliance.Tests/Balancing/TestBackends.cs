using System.Net;
using Appliance.Balancing;
using Appliance.Config.Model;

namespace Appliance.Tests.Balancing;

/// <summary>Builds config records and backend states for tests.</summary>
internal static class TestBackends
{
    private static readonly SourceLocation Here = new("test.cfg", 1);

    public static ServerConfig Server(
        string name,
        int weight = 1,
        bool backup = false,
        int maxConn = 0,
        bool disabled = false,
        bool check = false,
        int port = 80,
        TimeSpan? inter = null,
        TimeSpan? fastInter = null,
        TimeSpan? downInter = null,
        int rise = 2,
        int fall = 3) =>
        new(name, new IPEndPoint(IPAddress.Loopback, port), Here, check, inter, fastInter, downInter,
            rise, fall, weight, backup, maxConn, disabled);

    public static BackendConfig BackendConfig(
        BalanceAlgorithm algorithm, IEnumerable<ServerConfig> servers, string name = "web_back", Timeouts? timeouts = null) =>
        new(name, ProxyMode.Tcp, algorithm, new ValueList<ServerConfig>(servers), Appliance.Config.Model.BackendConfig.DefaultRetries,
            Redispatch: false, timeouts ?? Timeouts.None, Here);

    public static BackendState Backend(BalanceAlgorithm algorithm, params ServerConfig[] servers) =>
        new(BackendConfig(algorithm, servers), shardCount: 2);

    public static BackendState Backend(BalanceAlgorithm algorithm, int shardCount, params ServerConfig[] servers) =>
        new(BackendConfig(algorithm, servers), shardCount);

    public static Dictionary<string, int> Count(Balancer balancer, int picks, Func<int, uint>? hash = null, ServerState? exclude = null)
    {
        var counts = new Dictionary<string, int>();
        for (int i = 0; i < picks; i++)
        {
            var server = balancer.Pick(hash?.Invoke(i) ?? 0, exclude);
            string key = server?.Name ?? "(none)";
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        return counts;
    }

    public static IEnumerable<object[]> AllAlgorithms() =>
        Enum.GetValues<BalanceAlgorithm>().Select(a => new object[] { a });
}
