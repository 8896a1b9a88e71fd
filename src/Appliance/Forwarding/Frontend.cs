using Appliance.Config.Model;

namespace Appliance.Forwarding;

/// <summary>A frontend compiled for the data path. Immutable; shared by all shards.</summary>
internal sealed class Frontend
{
    public Frontend(int index, FrontendConfig config, Backend? defaultBackend, int maxConnPerShard)
    {
        Index = index;
        Config = config;
        DefaultBackend = defaultBackend;
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

    /// <summary>Where connections go (TCP mode has no content to route on); null closes them.</summary>
    public Backend? DefaultBackend { get; }

    /// <summary>0 = no limit.</summary>
    public long ClientTimeoutMs { get; }

    /// <summary><c>timeout http-request</c>: time to receive a complete request head (0 = no limit).</summary>
    public long HttpRequestTimeoutMs { get; }

    /// <summary><c>timeout http-keep-alive</c>: idle time allowed between requests (0 = no limit).</summary>
    public long KeepAliveTimeoutMs { get; }

    /// <summary>This frontend's share of its <c>maxconn</c> on one shard (0 = unlimited).</summary>
    public int MaxConnPerShard { get; }
}
