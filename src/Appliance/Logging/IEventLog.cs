namespace Appliance.Logging;

/// <summary>
/// Operational events (server state changes, startup, errors) — not the per-request access log.
/// Implementations must be thread-safe; callers are the prober thread, shards (rarely) and the CLI.
/// </summary>
public interface IEventLog
{
    void Info(string message);

    void Warning(string message);

    void Alert(string message);
}
