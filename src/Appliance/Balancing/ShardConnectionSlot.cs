using System.Runtime.InteropServices;

namespace Appliance.Balancing;

/// <summary>
/// One shard's connection counters for one server. Only that shard writes them; any thread may read.
/// The 128 bytes in front of the counters keep every two slots of an array (and the array header and
/// whatever object precedes it) at least 128 bytes apart, so no two writers ever share a 64-byte line
/// nor the line pair that the adjacent-line prefetcher pulls in together (Intel's spatial prefetcher
/// completes 128-byte aligned pairs). Stride = 128 + 32 bytes.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 160)]
internal struct ShardConnectionSlot
{
    /// <summary>Connections to the server currently open from this shard.</summary>
    [FieldOffset(128)]
    public long Active;

    /// <summary>Connections ever opened from this shard (HAProxy's <c>stot</c>).</summary>
    [FieldOffset(136)]
    public long Total;

    /// <summary>Idle kept-alive connections to the server in this shard's pool.</summary>
    [FieldOffset(144)]
    public int Idle;

    /// <summary>Of those, the ones that have carried two requests or more (HAProxy's safe list).</summary>
    [FieldOffset(148)]
    public int IdleProven;

    /// <summary>Most connections in use at once since this shard's last purge.</summary>
    [FieldOffset(152)]
    public int PeakInUse;

    /// <summary>Connections this shard estimates it needs (HAProxy's <c>est_need_conns</c>).</summary>
    [FieldOffset(156)]
    public int EstimatedNeed;
}
