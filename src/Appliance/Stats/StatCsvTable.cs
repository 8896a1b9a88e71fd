namespace Appliance.Stats;

/// <summary>
/// The CSV of <c>show stat</c> read back into rows addressed by field name, so the page shows whatever
/// fields the CSV carries (a field the CSV does not have reads as empty).
/// </summary>
internal sealed class StatCsvTable
{
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);

    public StatCsvTable(string csv)
    {
        foreach (string line in csv.Split('\n'))
        {
            if (line.Length == 0) continue;
            if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                string[] names = line[2..].Split(',');
                for (int i = 0; i < names.Length; i++)
                {
                    if (names[i].Length > 0) _columns.TryAdd(names[i], i);
                }
                continue;
            }
            Rows.Add(line.Split(','));
        }
    }

    public List<string[]> Rows { get; } = new();

    public string Get(string[] row, string field) =>
        _columns.TryGetValue(field, out int index) && index < row.Length ? row[index] : "";

    public bool Has(string field) => _columns.ContainsKey(field);
}
