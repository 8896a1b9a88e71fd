namespace Appliance.Http;

/// <summary>
/// Size limits of one message head. Defaults follow HAProxy: the whole head must fit in one
/// <c>tune.bufsize</c> buffer (16384) and at most <c>tune.http.maxhdr</c> (101) field lines are kept.
/// The request line has no separate limit in HAProxy, so by default it may use the whole buffer.
/// </summary>
public sealed record HeadLimits
{
    public static HeadLimits Default { get; } = new();

    /// <summary>Maximum bytes of a head, leading empty lines and the final empty line included (431 beyond).</summary>
    public int MaxHeadBytes { get; init; } = 16384;

    /// <summary>Maximum bytes of the request line with its CRLF (414 beyond).</summary>
    public int MaxRequestLineBytes { get; init; } = 16384;

    /// <summary>Maximum field lines per head (431 beyond).</summary>
    public int MaxHeaders { get; init; } = 101;

    internal void Validate()
    {
        if (MaxHeadBytes < 16) throw new ArgumentOutOfRangeException(nameof(MaxHeadBytes), MaxHeadBytes, "must be at least 16");
        if (MaxRequestLineBytes < 16) throw new ArgumentOutOfRangeException(nameof(MaxRequestLineBytes), MaxRequestLineBytes, "must be at least 16");
        if (MaxHeaders < 1) throw new ArgumentOutOfRangeException(nameof(MaxHeaders), MaxHeaders, "must be at least 1");
    }
}
