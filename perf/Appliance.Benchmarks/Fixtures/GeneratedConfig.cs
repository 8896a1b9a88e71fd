using System.Text;
using Appliance.Config;
using Appliance.Config.Model;

namespace Appliance.Benchmarks.Fixtures;

/// <summary>
/// Configuration files in HAProxy's dialect, generated at any size: one HTTP frontend that routes
/// <c>/svcN/</c> to backend <c>svcN</c> (as <c>path_beg</c> ACLs or one <c>map_beg</c> rule), each
/// backend with two servers on loopback.
/// </summary>
public static class GeneratedConfig
{
    public const string FallbackBackend = "fallback";

    /// <summary><paramref name="services"/> backends, each routed by its own <c>path_beg</c> ACL.</summary>
    public static string PathBeg(int services, string balance = "roundrobin", int serversPerBackend = 2)
    {
        var text = new StringBuilder(Header());
        for (int i = 0; i < services; i++) text.Append($"    acl is_svc{i} path_beg /svc{i}/\n");
        for (int i = 0; i < services; i++) text.Append($"    use_backend svc{i} if is_svc{i}\n");
        text.Append($"    default_backend {FallbackBackend}\n\n");
        AppendBackends(text, services, balance, serversPerBackend);
        return text.ToString();
    }

    /// <summary>The same services routed by one <c>use_backend %[path,map_beg(FILE)]</c>; writes the map to <paramref name="mapPath"/>.</summary>
    public static string MapBeg(int services, string mapPath)
    {
        var map = new StringBuilder("# path prefix -> backend\n");
        for (int i = 0; i < services; i++) map.Append($"/svc{i}/ svc{i}\n");
        File.WriteAllText(mapPath, map.ToString());

        var text = new StringBuilder(Header());
        text.Append($"    use_backend %[path,map_beg({mapPath})]\n");
        text.Append($"    default_backend {FallbackBackend}\n\n");
        AppendBackends(text, services, "roundrobin", 2);
        return text.ToString();
    }

    /// <summary>Loads <paramref name="text"/>; throws with every error when it does not validate.</summary>
    public static ApplianceConfig Load(string text)
    {
        ConfigLoadResult result = ConfigLoader.LoadText(text, "bench.cfg");
        if (result.Config is null) throw new InvalidOperationException("generated config is invalid:\n" + string.Join("\n", result.Errors));
        return result.Config;
    }

    private static string Header() =>
        "global\n    nbthread 2\n\n" +
        "defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n    option forwardfor\n\n" +
        "frontend web\n    bind 127.0.0.1:8080\n";

    private static void AppendBackends(StringBuilder text, int services, string balance, int serversPerBackend)
    {
        for (int i = 0; i <= services; i++)
        {
            string name = i < services ? $"svc{i}" : FallbackBackend;
            text.Append($"backend {name}\n    balance {balance}\n");
            for (int s = 0; s < serversPerBackend; s++)
            {
                // Ports only need to be distinct: nothing connects during a benchmark.
                text.Append($"    server s{s} 127.0.0.1:{10000 + (i * serversPerBackend + s) % 50000} check inter 2s\n");
            }
            text.Append('\n');
        }
    }
}
