using System.Collections.Immutable;
using Appliance.Routing.Patterns;

namespace Appliance.Routing.Maps;

/// <summary>
/// A map file loaded once per path and shared by every rule and frontend that names it. Its contents
/// are an immutable <see cref="MapSnapshot"/> published with <see cref="Volatile.Write{T}(ref T, T)"/>;
/// lookups do one <see cref="Volatile.Read{T}(ref readonly T)"/> each, so the runtime API
/// (<c>add map</c>, <c>set map</c>, <c>del map</c>, <c>clear map</c>) can change a map while shards
/// route: a request sees either the old or the new version, never a mix. Updates are serialized by a
/// lock (writers only) and rebuild the indexes off the data path.
/// </summary>
public sealed class MapFile
{
    private readonly object _writeLock = new();
    private readonly List<MatchMethod> _methods = [];
    private MapSnapshot _current;

    internal MapFile(string path, MapSnapshot initial, MatchMethod method)
    {
        Path = path;
        _current = initial;
        _methods.Add(method);
    }

    /// <summary>Full path of the file, the map's identity for the runtime API.</summary>
    public string Path { get; }

    /// <summary>The current version (one volatile read; any shard).</summary>
    public MapSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Replaces all entries (runtime <c>set map</c> of a whole file / reload of its contents).</summary>
    public bool TryReplace(IEnumerable<MapEntry> entries, out string? error) =>
        TryPublish(_ => [.. entries], out error);

    /// <summary>Appends an entry (runtime <c>add map</c>); existing entries keep precedence where order matters.</summary>
    public bool TryAdd(string key, string value, out string? error) =>
        TryPublish(current => current.Add(new MapEntry(key, value)), out error);

    /// <summary>Sets the value of every entry with <paramref name="key"/> (runtime <c>set map</c>); returns how many.</summary>
    public int Set(string key, string value)
    {
        int changed = 0;
        TryPublish(current =>
        {
            var builder = current.ToBuilder();
            for (int i = 0; i < builder.Count; i++)
            {
                if (builder[i].Key != key) continue;
                builder[i] = new MapEntry(key, value);
                changed++;
            }
            return builder.ToImmutable();
        }, out _);
        return changed;
    }

    /// <summary>Removes every entry with <paramref name="key"/> (runtime <c>del map</c>); returns how many.</summary>
    public int Remove(string key)
    {
        int removed = 0;
        TryPublish(current =>
        {
            var kept = current.RemoveAll(entry => entry.Key == key);
            removed = current.Length - kept.Length;
            return kept;
        }, out _);
        return removed;
    }

    /// <summary>Removes every entry (runtime <c>clear map</c>).</summary>
    public void Clear() => TryPublish(_ => [], out _);

    /// <summary>Makes sure the snapshots carry an index for <paramref name="method"/> (load time).</summary>
    internal bool TryRequire(MatchMethod method, out string? error)
    {
        error = null;
        lock (_writeLock)
        {
            if (_methods.Contains(method)) return true;
            _methods.Add(method);
            MapSnapshot? rebuilt = MapSnapshot.TryBuild(_current.Entries, _methods, out error);
            if (rebuilt is null)
            {
                _methods.Remove(method);
                return false;
            }
            Volatile.Write(ref _current, rebuilt);
            return true;
        }
    }

    private bool TryPublish(Func<ImmutableArray<MapEntry>, ImmutableArray<MapEntry>> change, out string? error)
    {
        lock (_writeLock)
        {
            MapSnapshot? next = MapSnapshot.TryBuild(change(_current.Entries), _methods, out error);
            if (next is null) return false;
            Volatile.Write(ref _current, next);
            return true;
        }
    }
}
