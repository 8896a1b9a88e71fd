namespace Appliance.IntegrationTests.Harness;

/// <summary>Line numbers in a config text, so tests that expect <c>FILE:LINE</c> never hard-code a number.</summary>
public static class ConfigLines
{
    /// <summary>1-based number of the only line that contains <paramref name="fragment"/>.</summary>
    public static int NumberOf(string config, string fragment)
    {
        var lines = config.Split('\n');
        var matches = Enumerable.Range(0, lines.Length)
            .Where(i => lines[i].Contains(fragment, StringComparison.Ordinal))
            .ToArray();
        return matches.Length == 1
            ? matches[0] + 1
            : throw new ArgumentException($"'{fragment}' occurs on {matches.Length} lines, expected exactly one.");
    }
}
