namespace Appliance.Routing.Patterns;

/// <summary>
/// An immutable byte-wise trie flattened into arrays (children of node <c>n</c> are the edges
/// <c>[_edgeStart[n], _edgeStart[n+1])</c>, sorted by label), so a walk touches a few contiguous
/// arrays and allocates nothing. Each terminal node carries an int (a rule or map-entry order; for a
/// key inserted twice, the smaller). Used for prefix, suffix (keys stored reversed), substring and
/// delimited-word matching: every walk costs at most the length of the input, whatever the number
/// of keys.
/// </summary>
internal sealed class ByteTrie
{
    /// <summary>Fan-out above which a child lookup switches from a linear scan to a binary search.</summary>
    private const int LinearScanLimit = 8;

    private readonly int[] _edgeStart;
    private readonly byte[] _edgeLabel;
    private readonly int[] _edgeTarget;
    private readonly int[] _terminal;
    private readonly bool _ignoreCase;

    public ByteTrie(IEnumerable<(byte[] Key, int Value)> keys, bool ignoreCase, bool reversed)
    {
        _ignoreCase = ignoreCase;
        var root = new BuildNode();
        int nodeCount = 1;
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
                    nodeCount++;
                }
                node = child;
            }
            if (node.Value < 0 || value < node.Value) node.Value = value;
            keyCount++;
        }
        KeyCount = keyCount;

        _edgeStart = new int[nodeCount + 1];
        _edgeLabel = new byte[nodeCount - 1];
        _edgeTarget = new int[nodeCount - 1];
        _terminal = new int[nodeCount];
        // Breadth-first numbering: node ids are assigned in queue order, so each node's edges are
        // written contiguously right after the previous node's.
        var queue = new Queue<BuildNode>();
        queue.Enqueue(root);
        int nextId = 1;
        int edge = 0;
        int id = 0;
        while (queue.Count > 0)
        {
            BuildNode node = queue.Dequeue();
            _terminal[id] = node.Value;
            _edgeStart[id] = edge;
            if (node.Children is not null)
            {
                foreach (var (label, child) in node.Children)
                {
                    _edgeLabel[edge] = label;
                    _edgeTarget[edge] = nextId++;
                    edge++;
                    queue.Enqueue(child);
                }
            }
            id++;
        }
        _edgeStart[nodeCount] = edge;
    }

    /// <summary>Number of keys inserted (duplicates included).</summary>
    public int KeyCount { get; }

    public bool IsEmpty => KeyCount == 0;

    /// <summary>
    /// Smallest value among the keys that are prefixes of <paramref name="input"/>, or -1: the earliest
    /// declared matching pattern, which is what first-match rule evaluation needs.
    /// </summary>
    public int MinAlongPrefix(ReadOnlySpan<byte> input)
    {
        int best = _terminal[0];
        int node = 0;
        for (int i = 0; i < input.Length; i++)
        {
            node = Child(node, input[i]);
            if (node < 0) break;
            int value = _terminal[node];
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
        int best = _terminal[0];
        length = 0;
        int node = 0;
        for (int i = 0; i < input.Length; i++)
        {
            node = Child(node, input[i]);
            if (node < 0) break;
            if (_terminal[node] >= 0)
            {
                best = _terminal[node];
                length = i + 1;
            }
        }
        return best;
    }

    /// <summary>Smallest value among the keys that are suffixes of <paramref name="input"/> (trie built reversed).</summary>
    public int MinAlongSuffix(ReadOnlySpan<byte> input)
    {
        int best = _terminal[0];
        int node = 0;
        for (int i = input.Length - 1; i >= 0; i--)
        {
            node = Child(node, input[i]);
            if (node < 0) break;
            int value = _terminal[node];
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
        int best = _terminal[0];
        if (best >= 0 && stopAtFirst) return best;
        for (int start = 0; start < input.Length; start++)
        {
            int node = 0;
            for (int i = start; i < input.Length; i++)
            {
                node = Child(node, input[i]);
                if (node < 0) break;
                int value = _terminal[node];
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
            for (int i = start; i < input.Length; i++)
            {
                node = Child(node, input[i]);
                if (node < 0) break;
                int value = _terminal[node];
                if (value < 0) continue;
                if (i + 1 != input.Length && !delimiters.Contains(input[i + 1])) continue;
                if (best < 0 || value < best)
                {
                    best = value;
                    if (stopAtFirst) return best;
                }
            }
        }
        return best;
    }

    private int Child(int node, byte label)
    {
        if (_ignoreCase) label = AsciiCase.Lower(label);
        int low = _edgeStart[node];
        int high = _edgeStart[node + 1];
        if (high - low <= LinearScanLimit)
        {
            for (int e = low; e < high; e++)
            {
                if (_edgeLabel[e] == label) return _edgeTarget[e];
            }
            return -1;
        }
        high--;
        while (low <= high)
        {
            int mid = (low + high) >>> 1;
            byte found = _edgeLabel[mid];
            if (found == label) return _edgeTarget[mid];
            if (found < label) low = mid + 1;
            else high = mid - 1;
        }
        return -1;
    }

    private sealed class BuildNode
    {
        public SortedDictionary<byte, BuildNode>? Children;
        public int Value = -1;
    }
}
