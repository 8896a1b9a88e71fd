namespace Appliance.Config.Parsing;

/// <summary>Everything the parser read, in file order, before cross-references are checked.</summary>
internal sealed class ParsedConfig
{
    public GlobalSection Global { get; } = new();

    /// <summary>Frontends, backends and listens, in file order.</summary>
    public List<ProxySection> Proxies { get; } = new();

    public List<ProxySection> Defaults { get; } = new();
}
