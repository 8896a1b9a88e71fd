using System.Text;
using Appliance.Routing.Patterns;

namespace Appliance.Tests.Routing.Patterns;

/// <summary>
/// Seeded random keys and inputs over a small alphabet (so keys share prefixes, chains compress and
/// child tables are both dense and sparse): every trie walk must agree with a brute-force scan of
/// the keys written with plain span operations.
/// </summary>
public sealed class ByteTrieDifferentialTests
{
    // Letters of both cases, word delimiters, digits and two far-apart bytes force sparse tables.
    private const string Alphabet = "abAB/.?:09~\u0001";

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void Walks_agree_with_brute_force(int seed, bool ignoreCase)
    {
        var random = new Random(seed);
        for (int round = 0; round < 60; round++)
        {
            var keys = new List<(byte[] Key, int Value)>();
            int keyCount = random.Next(1, 40);
            for (int i = 0; i < keyCount; i++) keys.Add((RandomBytes(random, random.Next(0, 7)), random.Next(0, 100)));

            var forward = new ByteTrie(keys, ignoreCase, reversed: false);
            var backward = new ByteTrie(keys, ignoreCase, reversed: true);
            for (int probe = 0; probe < 80; probe++)
            {
                byte[] input = RandomBytes(random, random.Next(0, 10));
                string context = $"seed {seed} round {round} input '{Encoding.Latin1.GetString(input)}'";

                Assert.True(Prefix(keys, input, ignoreCase) == forward.MinAlongPrefix(input), context);
                var (longest, length) = Longest(keys, input, ignoreCase);
                Assert.Equal(longest, forward.LongestAlongPrefix(input, out int foundLength));
                if (longest >= 0) Assert.True(length == foundLength, context);
                Assert.True(Suffix(keys, input, ignoreCase) == backward.MinAlongSuffix(input), context);
                Assert.True(Anywhere(keys, input, ignoreCase) == forward.MinAnywhere(input, stopAtFirst: false), context);
                Assert.True(Anywhere(keys, input, ignoreCase) >= 0 == forward.MinAnywhere(input, stopAtFirst: true) >= 0, context);
                foreach (WordDelimiters delimiters in new[] { WordDelimiters.Directory, WordDelimiters.Domain })
                {
                    var stripped = keys.Select(k => (delimiters.Strip(k.Key).ToArray(), k.Value)).Where(k => k.Item1.Length > 0).ToList();
                    var words = new ByteTrie(stripped, ignoreCase, reversed: false);
                    Assert.True(Words(stripped, input, delimiters, ignoreCase) == words.MinAlongWords(input, delimiters, stopAtFirst: false), context);
                }
            }
        }
    }

    [Fact]
    public void Single_child_chains_collapse_into_one_node()
    {
        var keys = Enumerable.Range(0, 100).Select(i => (Encoding.ASCII.GetBytes($"/api/v1/svc{i}/"), i)).ToList();
        var trie = new ByteTrie(keys, ignoreCase: false, reversed: false);

        // Root, "/api/v1/svc" + first digit (10), second digits under 1–9 (90), and each key's "/" end
        // merged into its digit node where the digit node has a single child.
        Assert.True(trie.NodeCount < 120, $"{trie.NodeCount} nodes");
        Assert.Equal(42, trie.MinAlongPrefix("/api/v1/svc42/items"u8));
        Assert.Equal(-1, trie.MinAlongPrefix("/api/v1/svc42"u8));
        Assert.Equal(-1, trie.MinAlongPrefix("/api/v2/svc42/"u8));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++) bytes[i] = (byte)Alphabet[random.Next(Alphabet.Length)];
        return bytes;
    }

    private static bool Equal(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool ignoreCase)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++)
        {
            if (ignoreCase ? AsciiCase.Lower(a[i]) != AsciiCase.Lower(b[i]) : a[i] != b[i]) return false;
        }
        return true;
    }

    private static int Min(int a, int b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    private static int Prefix(List<(byte[] Key, int Value)> keys, byte[] input, bool ignoreCase) =>
        keys.Where(k => k.Key.Length <= input.Length && Equal(k.Key, input.AsSpan(0, k.Key.Length), ignoreCase))
            .Aggregate(-1, (best, k) => Min(best, k.Value));

    private static (int Value, int Length) Longest(List<(byte[] Key, int Value)> keys, byte[] input, bool ignoreCase)
    {
        var matches = keys.Where(k => k.Key.Length <= input.Length && Equal(k.Key, input.AsSpan(0, k.Key.Length), ignoreCase)).ToList();
        if (matches.Count == 0) return (-1, 0);
        int length = matches.Max(k => k.Key.Length);
        return (matches.Where(k => k.Key.Length == length).Min(k => k.Value), length);
    }

    private static int Suffix(List<(byte[] Key, int Value)> keys, byte[] input, bool ignoreCase) =>
        keys.Where(k => k.Key.Length <= input.Length && Equal(k.Key, input.AsSpan(input.Length - k.Key.Length), ignoreCase))
            .Aggregate(-1, (best, k) => Min(best, k.Value));

    private static int Anywhere(List<(byte[] Key, int Value)> keys, byte[] input, bool ignoreCase)
    {
        int best = -1;
        foreach (var (key, value) in keys)
        {
            for (int start = 0; start + key.Length <= input.Length; start++)
            {
                if (Equal(key, input.AsSpan(start, key.Length), ignoreCase)) { best = Min(best, value); break; }
            }
        }
        return best;
    }

    private static int Words(List<(byte[] Key, int Value)> keys, byte[] input, WordDelimiters delimiters, bool ignoreCase)
    {
        int best = -1;
        foreach (var (key, value) in keys)
        {
            for (int start = 0; start + key.Length <= input.Length; start++)
            {
                bool startsWord = start == 0 || delimiters.Contains(input[start - 1]);
                int end = start + key.Length;
                bool endsWord = end == input.Length || delimiters.Contains(input[end]);
                if (startsWord && endsWord && Equal(key, input.AsSpan(start, key.Length), ignoreCase)) { best = Min(best, value); break; }
            }
        }
        return best;
    }
}
