namespace Appliance.Rules;

/// <summary>
/// A proxy's <c>errorfile</c> responses by status (the last line for a code wins, a proxy's own lines
/// after its defaults section's). Lookups answer null for a status without an errorfile, so the caller
/// can fall back as HAProxy does: the backend's page, then the frontend's, then the built-in one.
/// Immutable; shared by all shards; a lookup is one array read.
/// </summary>
public sealed class ErrorPages
{
    private const int FirstStatus = 200;
    private const int LastStatus = 599;

    private readonly byte[]?[] _pages;

    internal ErrorPages(IEnumerable<(int Status, byte[] Response)> pages)
    {
        _pages = new byte[]?[LastStatus - FirstStatus + 1];
        foreach (var (status, response) in pages) _pages[status - FirstStatus] = response;
        int count = 0;
        foreach (byte[]? page in _pages) count += page is null ? 0 : 1;
        Count = count;
    }

    public static ErrorPages None { get; } = new([]);

    /// <summary>Statuses with an errorfile.</summary>
    public int Count { get; }

    /// <summary>The errorfile response for <paramref name="status"/>, or null. Any shard; allocation-free.</summary>
    public byte[]? Find(int status) =>
        status is >= FirstStatus and <= LastStatus ? _pages[status - FirstStatus] : null;
}
