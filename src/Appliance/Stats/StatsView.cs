namespace Appliance.Stats;

/// <summary>How one rendering of the page looks.</summary>
/// <param name="Refresh">Meta refresh interval in seconds; 0 = none.</param>
/// <param name="OnlyUp">HAProxy's <c>;up</c>: leave out servers that are not UP.</param>
/// <param name="CsvLink">Where the "CSV export" link points.</param>
/// <param name="AdminAction">The URI the admin forms post to; null when this request may not change servers.</param>
/// <param name="Outcome">The result code of the admin action that redirected here (<c>;st=DONE</c>), or null.</param>
internal sealed record StatsView(int Refresh, bool OnlyUp, string CsvLink, string? AdminAction = null, string? Outcome = null);
