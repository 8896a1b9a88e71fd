namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// A snapshot of an http-mode TestBackend's journal. The backend flushes each line before it answers, so once a
/// test holds a response, the request that produced it is in the snapshot. A last line without its newline (being
/// written right now) is left out.
/// </summary>
public sealed class OriginRecord
{
    private OriginRecord(IReadOnlyList<OriginEvent> events) => Events = events;

    public IReadOnlyList<OriginEvent> Events { get; }

    /// <summary>Completely received requests, in the order they completed.</summary>
    public IReadOnlyList<OriginEvent> Requests => [.. Events.Where(e => e.Kind == OriginEvent.Request)];

    /// <summary>Connections accepted (health-check probes included).</summary>
    public int AcceptedConnections => Events.Count(e => e.Kind == OriginEvent.Accepted);

    /// <summary>Connections accepted and not (yet) seen closed.</summary>
    public int OpenConnections
    {
        get
        {
            var closed = Events.Where(e => e.Kind == OriginEvent.Closed).Select(e => e.Connection).ToHashSet();
            return Events.Count(e => e.Kind == OriginEvent.Accepted && !closed.Contains(e.Connection));
        }
    }

    /// <summary>Distinct backend connections that carried at least one complete request.</summary>
    public int ConnectionsCarryingRequests => Requests.Select(e => e.Connection).Distinct().Count();

    public static OriginRecord Read(string path)
    {
        if (!File.Exists(path))
        {
            return new OriginRecord([]);
        }

        string text;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(file))
        {
            text = reader.ReadToEnd();
        }

        int complete = text.LastIndexOf('\n') + 1;
        var events = text[..complete]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(OriginEvent.Parse)
            .ToList();
        return new OriginRecord(events);
    }

    /// <summary>
    /// Request-phase events (data, head, request, incomplete) of every request except those whose head targets
    /// <paramref name="allowedTarget"/>: what must be empty when "nothing reached the backend" but a sentinel
    /// request was sent afterwards to prove the path works.
    /// </summary>
    public IReadOnlyList<OriginEvent> RequestActivityExcept(string allowedTarget)
    {
        var allowed = Events
            .Where(e => e.Kind is OriginEvent.Head or OriginEvent.Request && e.Target == allowedTarget)
            .Select(e => (e.Connection, e.Seq))
            .ToHashSet();
        return [.. Events.Where(e => e.IsRequestActivity && !allowed.Contains((e.Connection, e.Seq)))];
    }

    /// <summary>The journal as text, for assertion messages.</summary>
    public string Describe() => Events.Count == 0 ? "(empty record)" : string.Join('\n', Events);

    public override string ToString() => Describe();
}
