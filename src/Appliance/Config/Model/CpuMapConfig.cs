namespace Appliance.Config.Model;

/// <summary>
/// <c>cpu-map [auto:]1/1-4 0-3</c> (process/thread set → CPU set): shard <c>thread-1</c> is pinned to
/// the listed CPUs. Threads are numbered from 1 as in HAProxy.
/// </summary>
public sealed record CpuMapConfig(ValueList<int> Threads, ValueList<int> Cpus, SourceLocation Location);
