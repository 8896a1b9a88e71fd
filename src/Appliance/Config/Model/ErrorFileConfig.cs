namespace Appliance.Config.Model;

/// <summary>
/// <c>errorfile CODE FILE</c>: the full HTTP response (read when the configuration was) sent instead of
/// the proxy's own page for <see cref="Status"/>. A later line for the same code wins, a proxy's own
/// lines come after the ones inherited from defaults.
/// </summary>
public sealed record ErrorFileConfig(int Status, string Path, ValueList<byte> Content, SourceLocation Location)
{
    /// <summary>
    /// The statuses the proxy answers with itself, hence those an <c>errorfile</c> or a
    /// <c>default-errorfiles</c> reply may name (HAProxy 2.6's list, plus 421 and 422 of later versions).
    /// </summary>
    public static IReadOnlyList<int> Statuses { get; } =
        [200, 400, 401, 403, 404, 405, 407, 408, 410, 413, 421, 422, 425, 429, 500, 501, 502, 503, 504];

    public static bool IsHandled(int status)
    {
        foreach (int handled in Statuses)
        {
            if (handled == status) return true;
        }
        return false;
    }
}
