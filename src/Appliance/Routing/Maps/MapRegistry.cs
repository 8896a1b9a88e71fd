using System.Collections.Immutable;
using Appliance.Routing.Patterns;

namespace Appliance.Routing.Maps;

/// <summary>
/// The map files of one configuration generation, by full path: each file is read once however many
/// rules, converters and frontends name it, and this is where the runtime API finds a map to change.
/// Filled at load time (single thread); <see cref="Find"/> may be called from any thread afterwards.
/// </summary>
public sealed class MapRegistry
{
    private readonly Dictionary<string, MapFile> _maps = new(StringComparer.Ordinal);

    public IReadOnlyCollection<MapFile> Maps => _maps.Values;

    /// <summary>The map loaded from <paramref name="path"/> (made absolute against the working directory), or null.</summary>
    public MapFile? Find(string path) => _maps.GetValueOrDefault(Path.GetFullPath(path));

    /// <summary>Loads <paramref name="fullPath"/> on first use; later uses only add an index for their method.</summary>
    internal MapFile? GetOrLoad(string fullPath, MatchMethod method, out string? error)
    {
        if (_maps.TryGetValue(fullPath, out MapFile? existing))
        {
            if (existing.TryRequire(method, out error)) return existing;
            error = $"map file '{fullPath}': {error}";
            return null;
        }
        var lines = PatternFileReader.ReadMap(fullPath, out error);
        if (lines is null)
        {
            error = $"failed to open map file '{fullPath}': {error}";
            return null;
        }
        var entries = ImmutableArray.CreateBuilder<MapEntry>(lines.Count);
        foreach (var (entry, _) in lines) entries.Add(entry);
        MapSnapshot? snapshot = MapSnapshot.TryBuild(entries.MoveToImmutable(), [method], out error);
        if (snapshot is null)
        {
            // Only map_reg can fail: name the offending line.
            foreach (var (entry, line) in lines)
            {
                if (RegexPattern.TryCreate(entry.Key, false, 0, out _) is null)
                {
                    error = $"map file '{fullPath}' line {line}: {error}";
                    return null;
                }
            }
            error = $"map file '{fullPath}': {error}";
            return null;
        }
        var map = new MapFile(fullPath, snapshot, method);
        _maps.Add(fullPath, map);
        return map;
    }
}
