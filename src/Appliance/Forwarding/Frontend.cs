using Appliance.Config.Model;
using Appliance.Routing;
using Appliance.Rules;

namespace Appliance.Forwarding;

/// <summary>A frontend compiled for the data path. Immutable; shared by all shards.</summary>
internal sealed class Frontend
{
    public Frontend(int index, FrontendConfig config, RouteTable routes, Backend[] backends, int maxConnPerShard)
    {
        Index = index;
        Config = config;
        Routes = routes;
        _backends = backends;
        DefaultBackend = routes.DefaultBackend >= 0 ? backends[routes.DefaultBackend] : null;
        ClientTimeoutMs = Backend.Milliseconds(config.Timeouts.Client);
        // HAProxy: http-request falls back to client, http-keep-alive to http-request.
        HttpRequestTimeoutMs = config.Timeouts.HttpRequest is { } request ? Backend.Milliseconds(request) : ClientTimeoutMs;
        KeepAliveTimeoutMs = config.Timeouts.HttpKeepAlive is { } keepAlive ? Backend.Milliseconds(keepAlive) : HttpRequestTimeoutMs;
        MaxConnPerShard = maxConnPerShard;
        ForwardForHeader = config.ForwardFor is { } option ? System.Text.Encoding.ASCII.GetBytes(option.Header) : null;
    }

    public int Index { get; }

    /// <summary>The <c>option forwardfor</c> header name as bytes, or null.</summary>
    public byte[]? ForwardForHeader { get; }

    public FrontendConfig Config { get; }

    public string Name => Config.Name;

    private readonly Backend[] _backends;

    /// <summary><c>default_backend</c>, or null.</summary>
    public Backend? DefaultBackend { get; }

    /// <summary>The statistics page this frontend answers after its http-request rules, before routing; or null.</summary>
    public Stats.StatsPage? Stats { get; init; }

    /// <summary>Access logging of this frontend's traffic, or null when it has no log target.</summary>
    public Logging.FrontendLog? Log { get; init; }

    /// <summary>The compiled <c>use_backend</c> rules and ACLs.</summary>
    public RouteTable Routes { get; }

    /// <summary>The compiled <c>http-request</c>/<c>http-response</c> rules and <c>errorfile</c> pages.</summary>
    public HttpRuleSet Rules { get; init; } = HttpRuleSet.Empty;

    /// <summary>The backend for a request (first matching rule, else default), or null (answer 503 / close).</summary>
    public Backend? Route(IRequestView request)
    {
        int index = Routes.SelectBackend(request);
        return index >= 0 ? _backends[index] : null;
    }

    /// <summary>0 = no limit.</summary>
    public long ClientTimeoutMs { get; }

    /// <summary><c>timeout http-request</c>: time to receive a complete request head (0 = no limit).</summary>
    public long HttpRequestTimeoutMs { get; }

    /// <summary><c>timeout http-keep-alive</c>: idle time allowed between requests (0 = no limit).</summary>
    public long KeepAliveTimeoutMs { get; }

    /// <summary>This frontend's share of its <c>maxconn</c> on one shard (0 = unlimited).</summary>
    public int MaxConnPerShard { get; }
}
