namespace Appliance.Logging;

/// <summary>
/// Every value a log line can show, gathered by <see cref="FrontendLog"/> from a session's entry and the
/// shard's counters. Times are milliseconds (-1: phase not reached); dates are local wall-clock times.
/// </summary>
internal ref struct LogFields
{
    public ReadOnlySpan<byte> Client;
    /// <summary>The address the client connected to; empty when the format does not need it.</summary>
    public ReadOnlySpan<byte> Local;
    public string Frontend;
    public string Mode;
    public string? Backend;
    public string? Server;
    public DateTime AcceptDate;
    public DateTime RequestDate;
    public long TR, Tw, Tc, Tr, Ta, Tt;
    public int Status;
    public long Bytes;
    public byte Cause, Phase;
    public long ProcessConnections, FrontendConnections, BackendConnections, ServerConnections;
    public int Retries;
    public bool Redispatched;
    /// <summary>Empty: no request line (TCP, or a request that could not be read).</summary>
    public ReadOnlySpan<byte> RequestLine;
    public bool IsHttp;
}
