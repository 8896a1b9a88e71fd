using System.Globalization;
using System.Text.RegularExpressions;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A parsed <c>show activity</c> answer. Lines of the form <c>name: TOTAL [ v0 v1 … ]</c> (per-shard values
/// optional) become counters; any other line is kept only in <see cref="Text"/>.
/// </summary>
public sealed partial class RuntimeActivity
{
    private readonly Dictionary<string, ShardedCounter> _counters;

    private RuntimeActivity(string text, Dictionary<string, ShardedCounter> counters)
    {
        Text = text;
        _counters = counters;
    }

    public string Text { get; }

    public IReadOnlyDictionary<string, ShardedCounter> Counters => _counters;

    public static RuntimeActivity Parse(string text)
    {
        var counters = new Dictionary<string, ShardedCounter>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var match = CounterLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var perShard = match.Groups["shards"].Success
                ? match.Groups["shards"].Value
                    .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(value => long.Parse(value, CultureInfo.InvariantCulture))
                    .ToArray()
                : [];
            counters[match.Groups["name"].Value.Trim()] =
                new ShardedCounter(long.Parse(match.Groups["total"].Value, CultureInfo.InvariantCulture), perShard);
        }

        return new RuntimeActivity(text, counters);
    }

    /// <summary>The counter, or a test failure that shows the whole answer.</summary>
    public ShardedCounter Get(string name) =>
        _counters.TryGetValue(name, out var counter)
            ? counter
            : throw new KeyNotFoundException($"show activity has no '{name}' counter; answer was:\n{Text}");

    [GeneratedRegex(@"^\s*(?<name>[A-Za-z_][\w .-]*?)\s*:\s*(?<total>\d+)\s*(\[(?<shards>[\d\s]*)\])?\s*$")]
    private static partial Regex CounterLine();
}
