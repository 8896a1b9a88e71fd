namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// Several TestBackend processes started in parallel (each start is a process launch and a JIT warm-up, so twenty
/// in a row would cost seconds) and stopped together. If any fails to start, the others are stopped before the
/// failure propagates.
/// </summary>
public sealed class BackendGroup : IDisposable
{
    private BackendGroup(IReadOnlyList<BackendProcess> members) => Members = members;

    public IReadOnlyList<BackendProcess> Members { get; }

    public BackendProcess this[string name] => Members.Single(member => member.Name == name);

    /// <summary>http-mode origins, each recording into <c>NAME.jsonl</c> in <paramref name="scratch"/>.</summary>
    public static BackendGroup StartRecordingOrigins(ScratchDirectory scratch, IEnumerable<string> names) =>
        Start(names, name => BackendProcess.StartRecordingOrigin(scratch, name));

    /// <summary>http-mode origins without a record (for load where journalling would only cost time).</summary>
    public static BackendGroup StartOrigins(IEnumerable<string> names) =>
        Start(names, name => BackendProcess.Start(BackendMode.Http, name));

    public void Dispose()
    {
        foreach (var member in Members)
        {
            member.Dispose();
        }
    }

    private static BackendGroup Start(IEnumerable<string> names, Func<string, BackendProcess> start)
    {
        var list = names.ToArray();
        var started = new BackendProcess?[list.Length];
        try
        {
            Parallel.For(0, list.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => started[i] = start(list[i]));
        }
        catch
        {
            foreach (var member in started)
            {
                member?.Dispose();
            }

            throw;
        }

        return new BackendGroup([.. started.Select(member => member!)]);
    }
}
