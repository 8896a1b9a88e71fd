namespace Appliance.Routing;

/// <summary>
/// What routing reads from a parsed HTTP request, implemented by the HTTP session over its own
/// buffers: every member returns a slice of memory the session already holds (no allocation, no
/// decoding), valid for the duration of one routing call on the session's shard.
/// </summary>
/// <remarks>
/// <para>Implement it on a class (the session itself): routing takes the interface, so a struct would
/// be boxed.</para>
/// <para>Header access is deliberately raw — the header fields in arrival order, names as received —
/// and HAProxy's <c>hdr()</c> semantics (case-insensitive names, values split at commas outside
/// quoted strings, occurrence numbers counted over the split values, the last occurrence by default
/// in sample expressions, every occurrence in ACLs) are implemented once, in
/// <see cref="HeaderValues"/>, over this interface.</para>
/// </remarks>
public interface IRequestView
{
    /// <summary>The method token as received, e.g. <c>GET</c>.</summary>
    ReadOnlySpan<byte> Method { get; }

    /// <summary>The request-target exactly as received (HAProxy's <c>url</c>), e.g.
    /// <c>/a/b?x=1</c>, <c>http://host/a</c> or <c>*</c>.</summary>
    ReadOnlySpan<byte> Url { get; }

    /// <summary>HAProxy's <c>path</c>: from the first slash of the request-target (after any
    /// <c>scheme://authority</c>) up to, not including, the first <c>?</c>; empty when the target has no
    /// slash (<c>*</c>, authority-form).</summary>
    ReadOnlySpan<byte> Path { get; }

    /// <summary>True when the request-target contains a <c>?</c> (the <c>query</c> fetch exists, possibly empty).</summary>
    bool HasQuery { get; }

    /// <summary>HAProxy's <c>query</c>: what follows the first <c>?</c>, without it.</summary>
    ReadOnlySpan<byte> Query { get; }

    /// <summary>Number of header fields (lines), in arrival order.</summary>
    int HeaderFieldCount { get; }

    /// <summary>Name of header field <paramref name="index"/> as received (any case).</summary>
    ReadOnlySpan<byte> HeaderFieldName(int index);

    /// <summary>Value of header field <paramref name="index"/>, without the surrounding whitespace.</summary>
    ReadOnlySpan<byte> HeaderFieldValue(int index);

    /// <summary>The client's address: 4 bytes (IPv4) or 16 bytes (IPv6), network order; empty for a
    /// Unix-socket client. An IPv4 client on a dual-stack socket may be given either as 4 bytes or as
    /// <c>::ffff:a.b.c.d</c>; both match the same patterns.</summary>
    ReadOnlySpan<byte> SourceAddress { get; }
}
