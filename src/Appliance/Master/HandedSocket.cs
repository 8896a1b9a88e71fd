namespace Appliance.Master;

/// <summary>What a handed-over descriptor is, so the worker can match it with its configuration.</summary>
internal enum HandedSocketKind : byte
{
    /// <summary>A listening TCP socket: frontend index, bind index within the frontend, shard.</summary>
    Listener = 0,
    /// <summary>A runtime API socket: index in <c>global</c>'s <c>stats socket</c> list.</summary>
    StatsSocket = 1,
}

/// <summary>
/// A socket the master owns and hands to workers. The master keeps its descriptor open for as long as
/// the socket is in the current configuration or a worker generation still polls it, so a reload never
/// closes a socket that still has an accept queue.
/// </summary>
internal sealed class HandedSocket(HandedSocketKind kind, int fd, string key)
{
    public HandedSocketKind Kind { get; } = kind;

    public int Fd { get; private set; } = fd;

    /// <summary>Identity across reloads: address, family options and shard; or the Unix path.</summary>
    public string Key { get; } = key;

    /// <summary>In the current configuration (false once a reload removed it).</summary>
    public bool Current { get; set; } = true;

    /// <summary>For a Unix socket: the file to remove when the socket is closed for good.</summary>
    public string? Path { get; init; }

    public bool IsClosed => Fd < 0;

    public void Close()
    {
        if (Fd < 0) return;
        Native.Libc.Close(Fd);
        Fd = -1;
        if (Path is not null)
        {
            try { File.Delete(Path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
