namespace Appliance.Logging;

/// <summary>
/// What an <c>option httplog</c> line says about one request, gathered by the HTTP session. Times are
/// shard-clock milliseconds; a timer is -1 when its phase was never reached (HAProxy's convention).
/// </summary>
internal ref struct HttpLogEntry
{
    /// <summary>The client's sockaddr.</summary>
    public ReadOnlySpan<byte> Client;
    /// <summary>When the first byte of the request arrived (shard clock).</summary>
    public long RequestStart;
    /// <summary>Null before routing: the line shows the frontend's name, as HAProxy does.</summary>
    public string? Backend;
    /// <summary>Null when no server was chosen (<c>&lt;NOSRV&gt;</c>).</summary>
    public string? Server;
    public long TR, Tw, Tc, Tr, Ta;
    public int Status;
    public long Bytes;
    public byte Cause, Phase;
    public long BackendConnections, ServerConnections;
    public int Retries;
    public bool Redispatched;
    /// <summary>The request line (method, target, version); empty for a request that could not be parsed.</summary>
    public ReadOnlySpan<byte> RequestLine;
}
