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
        MaxConnPerShard = maxConnPerShard;
    }

    public int Index { get; }

    public FrontendConfig Config { get; }

    public string Name => Config.Name;

    /// <summary>Where connections go (TCP mode has no content to route on); null closes them.</summary>
    public Backend? DefaultBackend { get; }

    /// <summary>0 = no limit.</summary>
    public long ClientTimeoutMs { get; }

    /// <summary>This frontend's share of its <c>maxconn</c> on one shard (0 = unlimited).</summary>
    public int MaxConnPerShard { get; }
}
