using System.Collections.Frozen;
using System.Collections.Immutable;
using Appliance.Config.Model;

namespace Appliance.Balancing;

/// <summary>The <see cref="BackendState"/> of every backend of a configuration, looked up by name.</summary>
public sealed class BackendStateTable
{
    private readonly FrozenDictionary<string, BackendState> _byName;

    public BackendStateTable(ApplianceConfig config, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(config);
        var backends = ImmutableArray.CreateBuilder<BackendState>(config.Backends.Count);
        foreach (var backend in config.Backends) backends.Add(new BackendState(backend, shardCount));
        Backends = backends.MoveToImmutable();
        _byName = Backends.ToFrozenDictionary(b => b.Name, StringComparer.Ordinal);
    }

    public ImmutableArray<BackendState> Backends { get; }

    public BackendState? Find(string name) => _byName.GetValueOrDefault(name);
}
