namespace Appliance.Logging;

/// <summary>What an <c>option tcplog</c> line says about one connection (times as in <see cref="HttpLogEntry"/>).</summary>
internal ref struct TcpLogEntry
{
    public ReadOnlySpan<byte> Client;
    /// <summary>When the connection was accepted (shard clock).</summary>
    public long Accepted;
    public string? Backend;
    public string? Server;
    public long Tw, Tc, Tt;
    public long Bytes;
    public byte Cause, Phase;
    public long BackendConnections, ServerConnections;
    public int Retries;
    public bool Redispatched;
    /// <summary>The last request line, for a log-format on an HTTP connection logged per connection; else empty.</summary>
    public ReadOnlySpan<byte> RequestLine;
}
