namespace Appliance.Routing;

/// <summary>
/// What <c>http-response</c> rules read from a parsed response, implemented by the HTTP session over
/// its own buffers (like <see cref="IRequestView"/>): slices of memory the session holds, valid for
/// one evaluation call on the session's shard. Implement it on a class: rules take the interface.
/// </summary>
public interface IResponseView
{
    /// <summary>The status code, 100 to 999.</summary>
    int StatusCode { get; }

    /// <summary>Number of header fields (lines), in arrival order.</summary>
    int HeaderFieldCount { get; }

    /// <summary>Name of header field <paramref name="index"/> as received (any case).</summary>
    ReadOnlySpan<byte> HeaderFieldName(int index);

    /// <summary>Value of header field <paramref name="index"/>, without the surrounding whitespace.</summary>
    ReadOnlySpan<byte> HeaderFieldValue(int index);
}
