using System.Globalization;

namespace Appliance.IntegrationTests.Harness;

/// <summary>A parsed <c>show info</c> answer: <c>Key: value</c> lines.</summary>
public sealed class RuntimeInfo
{
    private readonly Dictionary<string, string> _fields;

    private RuntimeInfo(string text, Dictionary<string, string> fields)
    {
        Text = text;
        _fields = fields;
    }

    public string Text { get; }

    public IReadOnlyDictionary<string, string> Fields => _fields;

    public static RuntimeInfo Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                fields[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return new RuntimeInfo(text, fields);
    }

    /// <summary>An integer field (Nbthread, CurrConns, CumConns, SplicedBytes, Pid, …).</summary>
    public long GetInt64(string key) =>
        !_fields.TryGetValue(key, out var value)
            ? throw new KeyNotFoundException($"show info has no '{key}'; answer was:\n{Text}")
            : long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new FormatException($"show info '{key}: {value}' is not an integer.");
}
