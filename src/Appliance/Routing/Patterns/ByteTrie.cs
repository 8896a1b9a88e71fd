using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Appliance.Routing.Patterns;

/// <summary>
/// An immutable, path-compressed byte trie flattened into arrays, so a walk touches a few contiguous
/// arrays and allocates nothing. Each terminal node carries an int (a rule or map-entry order; for a
/// key inserted twice, the smaller). Used for prefix, suffix (keys stored reversed), substring and
/// delimited-word matching: every walk costs at most the length of the input, whatever the number
/// of keys.
/// </summary>
/// <remarks>
/// Two things keep a lookup among 10,000 keys close to one among 10 (the route-table promise):
/// <list type="bullet">
/// <item>runs of single-child, non-terminal nodes collapse into one node whose extra bytes are
///   compared as a span (<c>/api/v1/svc</c> is one comparison, not eleven child lookups);</item>
/// <item>a node finds its child by indexing a dense table over its label range when the range is
///   not much wider than the number of children (digits, letters), and by binary search otherwise,
///   so wide fan-outs cost one load, not a scan.</item>
/// </list>
/// Terminals sit only at the end of a node (a compressed run never passes a terminal), so walks check
/// a value once per node.
/// </remarks>
internal sealed class ByteTrie
{
    /// <summary>A child table is dense when its label range is at most this many times the child count (or small).</summary>
    private const int DenseSpreadFactor = 3;
    private const int DenseAlwaysSpan = 16;

    private readonly TrieNode[] _nodes;
    private readonly byte[] _runs;
    private readonly bool _ignoreCase;

    public ByteTrie(IEnumerable<(byte[] Key, int Value)> keys, bool ignoreCase, bool reversed)
    {
        _ignoreCase = ignoreCase;
        var root = new BuildNode();
        int keyCount = 0;
        foreach (var (key, value) in keys)
        {
            BuildNode node = root;
            for (int i = 0; i < key.Length; i++)
            {
                byte label = key[reversed ? key.Length - 1 - i : i];
                if (ignoreCase) label = AsciiCase.Lower(label);
                node.Children ??= new SortedDictionary<byte, BuildNode>();
                if (!node.Children.TryGetValue(label, out BuildNode? child))
                {
                    child = new BuildNode();
                    node.Children.Add(label, child);
                }
                node = child;
            }
            if (node.Value < 0 || value < node.Value) node.Value = value;
            keyCount++;
        }
        KeyCount = keyCount;
        (_nodes, _runs) = Flatten(root);
        NodeCount = _nodes.Count(n => n.Present);
    }

    /// <summary>Number of keys inserted (duplicates included).</summary>
    public int KeyCount { get; }

    public bool IsEmpty => KeyCount == 0;

    /// <summary>Number of nodes after path compression (for tests and diagnostics).</summary>
    public int NodeCount { get; }

    /// <summary>
    /// Smallest value among the keys that are prefixes of <paramref name="input"/>, or -1: the earliest
    /// declared matching pattern, which is what first-match rule evaluation needs.
    /// </summary>
    public int MinAlongPrefix(ReadOnlySpan<byte> input)
    {
        int best = _nodes[0].Value;
        int node = 0;
        int position = 0;
        while ((node = Descend(node, input, ref position)) >= 0)
        {
            int value = _nodes[node].Value;
            if (value >= 0 && (best < 0 || value < best)) best = value;
        }
        return best;
    }

    /// <summary>
    /// Value of the longest key that is a prefix of <paramref name="input"/>, or -1; <paramref name="length"/>
    /// is that key's length (HAProxy's prefix tree lookup: the longest match wins).
    /// </summary>
    public int LongestAlongPrefix(ReadOnlySpan<byte> input, out int length)
    {
        int best = _nodes[0].Value;
        length = 0;
        int node = 0;
        int position = 0;
        while ((node = Descend(node, input, ref position)) >= 0)
        {
            int value = _nodes[node].Value;
            if (value >= 0)
            {
                best = value;
                length = position;
            }
        }
        return best;
    }

    /// <summary>Smallest value among the keys that are suffixes of <paramref name="input"/> (trie built reversed).</summary>
    public int MinAlongSuffix(ReadOnlySpan<byte> input)
    {
        int best = _nodes[0].Value;
        int node = 0;
        int remaining = input.Length;
        while ((node = DescendBackward(node, input, ref remaining)) >= 0)
        {
            int value = _nodes[node].Value;
            if (value >= 0 && (best < 0 || value < best)) best = value;
        }
        return best;
    }

    /// <summary>
    /// Smallest value among the keys found anywhere inside <paramref name="input"/>; with
    /// <paramref name="stopAtFirst"/> any match is returned as soon as it is seen.
    /// Cost: input length × longest key.
    /// </summary>
    public int MinAnywhere(ReadOnlySpan<byte> input, bool stopAtFirst)
    {
        int best = _nodes[0].Value;
        if (best >= 0 && stopAtFirst) return best;
        for (int start = 0; start < input.Length; start++)
        {
            int node = 0;
            int position = start;
            while ((node = Descend(node, input, ref position)) >= 0)
            {
                int value = _nodes[node].Value;
                if (value >= 0 && (best < 0 || value < best))
                {
                    best = value;
                    if (stopAtFirst) return best;
                }
            }
        }
        return best;
    }

    /// <summary>
    /// Smallest value among the keys found as a delimited word sequence of <paramref name="input"/>:
    /// starting at the beginning or right after a delimiter, ending at the end or right before a
    /// delimiter (HAProxy's <c>dir</c>/<c>dom</c> matching; keys were stored with their leading and
    /// trailing delimiters stripped). Cost: input length × longest key.
    /// </summary>
    public int MinAlongWords(ReadOnlySpan<byte> input, WordDelimiters delimiters, bool stopAtFirst)
    {
        int best = -1;
        for (int start = 0; start < input.Length; start++)
        {
            if (delimiters.Contains(input[start])) continue;
            if (start > 0 && !delimiters.Contains(input[start - 1])) continue;
            int node = 0;
            int position = start;
            while ((node = Descend(node, input, ref position)) >= 0)
            {
                int value = _nodes[node].Value;
                if (value < 0) continue;
                if (position != input.Length && !delimiters.Contains(input[position])) continue;
                if (best < 0 || value < best)
                {
                    best = value;
                    if (stopAtFirst) return best;
                }
            }
        }
        return best;
    }

    /// <summary>
    /// Moves from <paramref name="node"/> to the child whose whole label (edge byte and compressed run)
    /// matches <paramref name="input"/> at <paramref name="position"/>, advancing the position past it;
    /// -1 when no child matches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Descend(int node, ReadOnlySpan<byte> input, ref int position)
    {
        if ((uint)position >= (uint)input.Length) return -1;
        int child = Child(node, input[position]);
        if (child < 0) return -1;
        ref readonly TrieNode target = ref NodeAt(child);
        int runLength = target.RunLength;
        if (runLength == 0)
        {
            position++;
            return child;
        }
        int end = position + 1 + runLength;
        if (end > input.Length || !RunMatches(in target, input.Slice(position + 1, runLength))) return -1;
        position = end;
        return child;
    }

    /// <summary>As <see cref="Descend"/>, reading <paramref name="input"/> from its end towards its start.</summary>
    private int DescendBackward(int node, ReadOnlySpan<byte> input, ref int remaining)
    {
        if (remaining <= 0) return -1;
        int child = Child(node, input[remaining - 1]);
        if (child < 0) return -1;
        ref readonly TrieNode target = ref NodeAt(child);
        int left = remaining - 1 - target.RunLength;
        if (left < 0) return -1;
        ReadOnlySpan<byte> run = _runs.AsSpan(target.RunStart, target.RunLength);
        for (int k = 0; k < run.Length; k++)
        {
            byte b = input[remaining - 2 - k];
            if (_ignoreCase) b = AsciiCase.Lower(b);
            if (b != run[k]) return -1;
        }
        remaining = left;
        return child;
    }

    private bool RunMatches(in TrieNode node, ReadOnlySpan<byte> input)
    {
        ReadOnlySpan<byte> run = _runs.AsSpan(node.RunStart, node.RunLength);
        if (!_ignoreCase) return input.SequenceEqual(run);
        for (int k = 0; k < run.Length; k++)
        {
            if (AsciiCase.Lower(input[k]) != run[k]) return false;
        }
        return true;
    }

    /// <summary>
    /// The child of <paramref name="node"/> under <paramref name="label"/>, or -1. A node's children
    /// are stored contiguously and each child slot holds the whole child node, so one step of a walk
    /// is one dependent load.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Child(int node, byte label)
    {
        if (_ignoreCase) label = AsciiCase.Lower(label);
        ref readonly TrieNode parent = ref NodeAt(node);
        if (parent.Dense)
        {
            uint offset = (uint)(label - parent.LowLabel);
            if (offset >= parent.ChildSlots) return -1;
            int slot = parent.ChildStart + (int)offset;
            return NodeAt(slot).Present ? slot : -1;
        }
        int low = parent.ChildStart;
        int high = low + parent.ChildSlots - 1;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            byte found = NodeAt(mid).Label;
            if (found == label) return mid;
            if (found < label) low = mid + 1;
            else high = mid - 1;
        }
        return -1;
    }

    /// <summary>Node ids come from the builder and are always in range: no bounds check on the hot walk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref readonly TrieNode NodeAt(int index) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_nodes), index);

    /// <summary>
    /// Lays the compressed nodes out breadth-first: the root at 0, then each node's child table (dense:
    /// one slot per label in its range, holes not present; sparse: one slot per child, sorted by label)
    /// right after the tables of the nodes numbered before it.
    /// </summary>
    private static (TrieNode[] Nodes, byte[] Runs) Flatten(BuildNode root)
    {
        var nodes = new List<TrieNode> { default };
        var runs = new List<byte>();
        var queue = new Queue<(BuildNode Node, List<byte> Run, int Slot, byte Label)>();
        queue.Enqueue((root, [], 0, 0));
        while (queue.Count > 0)
        {
            var (build, run, slot, label) = queue.Dequeue();
            var node = new TrieNode
            {
                Value = build.Value,
                RunStart = runs.Count,
                RunLength = run.Count,
                ChildStart = nodes.Count,
                Label = label,
                Present = true,
            };
            runs.AddRange(run);
            if (build.Children is { Count: > 0 } children)
            {
                byte lowest = children.Keys.First();
                int span = children.Keys.Last() - lowest + 1;
                node.Dense = span <= DenseAlwaysSpan || span <= DenseSpreadFactor * children.Count;
                node.LowLabel = node.Dense ? lowest : (byte)0;
                node.ChildSlots = (ushort)(node.Dense ? span : children.Count);
                for (int k = 0; k < node.ChildSlots; k++) nodes.Add(new TrieNode { Value = -1 });
                int next = 0;
                foreach (var (childLabel, child) in children)
                {
                    // Collapse the single-child, non-terminal chain below this edge into one node.
                    var childRun = new List<byte>();
                    BuildNode end = child;
                    while (end.Value < 0 && end.Children is { Count: 1 } only)
                    {
                        var (runLabel, runNext) = only.First();
                        childRun.Add(runLabel);
                        end = runNext;
                    }
                    int childSlot = node.ChildStart + (node.Dense ? childLabel - lowest : next++);
                    queue.Enqueue((end, childRun, childSlot, childLabel));
                }
            }
            nodes[slot] = node;
        }
        return ([.. nodes], [.. runs]);
    }

    /// <summary>
    /// One compressed node, stored in its parent's child table: the edge label that leads to it, the
    /// run of bytes after that label, its terminal value and its own child table.
    /// </summary>
    private struct TrieNode
    {
        public int Value;
        public int RunStart;
        public int RunLength;
        public int ChildStart;
        public ushort ChildSlots;
        public byte LowLabel;
        public byte Label;
        public bool Dense;
        public bool Present;
    }

    private sealed class BuildNode
    {
        public SortedDictionary<byte, BuildNode>? Children;
        public int Value = -1;
    }
}
