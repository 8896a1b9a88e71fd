using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Native;

namespace Appliance.Logging;

/// <summary>
/// A frontend's access logging compiled for its sessions: which line it writes (HAProxy's httplog,
/// tcplog or default format, configuration.txt 8.2, or its <c>log-format</c>) and the target set the
/// writer sends it to. Lines are formatted into the shard's ring scratch and copied into its ring: no
/// allocation, no lock, no system call on the shard (except waking an idle writer, and getsockname when
/// a format shows the frontend address). Shared by all shards; methods run on the calling session's shard.
/// </summary>
internal sealed class FrontendLog
{
    /// <summary>Longest request line kept for the log (HAProxy's <c>tune.http.logurilen</c> default).</summary>
    public const int MaxRequestLine = 1024;

    private readonly int _set;
    private readonly AccessLogWriter _writer;
    private readonly string _name;
    private readonly string _mode;
    private readonly LogFormat _httpFormat;
    private readonly LogFormat _tcpFormat;

    public FrontendLog(FrontendConfig config, int set, AccessLogWriter writer)
    {
        _set = set;
        _writer = writer;
        _name = config.Name;
        DontLogNull = config.Log.DontLogNull;
        _mode = config.Mode == ProxyMode.Http ? "HTTP" : "TCP";
        LogFormat? custom = config.Log.Format is { } text ? LogFormat.Parse(text, out _) : null;
        _httpFormat = custom ?? LogFormat.Http;
        _tcpFormat = custom ?? LogFormat.Tcp;
        // A log-format line is written where the mode's own line would be: per request in HTTP, per connection in TCP.
        Option = custom is null ? config.Log.Option : config.Mode == ProxyMode.Http ? LogOption.Http : LogOption.Tcp;
    }

    /// <summary>Which line the sessions write: per request (Http), per connection (Tcp), or the connect line at accept (Default).</summary>
    public LogOption Option { get; }

    public bool DontLogNull { get; }

    /// <summary>An HTTP request's line (httplog, or the log-format). <paramref name="clientFd"/> is still open.</summary>
    public void WriteHttp(Shard shard, int frontendIndex, int clientFd, in HttpLogEntry entry)
    {
        Span<byte> local = stackalloc byte[SocketAddress.MaxLength];
        DateTime now = DateTime.Now;
        DateTime requestDate = now.AddMilliseconds(-(shard.Now - entry.RequestStart));
        var fields = new LogFields
        {
            Client = entry.Client,
            Local = LocalAddress(_httpFormat, clientFd, local),
            Frontend = _name,
            Mode = _mode,
            Backend = entry.Backend,
            Server = entry.Server,
            AcceptDate = requestDate,
            RequestDate = requestDate,
            TR = entry.TR,
            Tw = entry.Tw,
            Tc = entry.Tc,
            Tr = entry.Tr,
            Ta = entry.Ta,
            Tt = entry.Ta,
            Status = entry.Status,
            Bytes = entry.Bytes,
            Cause = entry.Cause,
            Phase = entry.Phase,
            ProcessConnections = shard.ProcessConnections(),
            FrontendConnections = shard.FrontendConnectionsAllShards(frontendIndex),
            BackendConnections = entry.BackendConnections,
            ServerConnections = entry.ServerConnections,
            Retries = entry.Retries,
            Redispatched = entry.Redispatched,
            RequestLine = entry.RequestLine,
            IsHttp = true,
        };
        Write(shard, _httpFormat, fields);
    }

    /// <summary>A connection's line (tcplog, or the log-format).</summary>
    public void WriteTcp(Shard shard, int frontendIndex, int clientFd, in TcpLogEntry entry)
    {
        Span<byte> local = stackalloc byte[SocketAddress.MaxLength];
        DateTime accepted = DateTime.Now.AddMilliseconds(-(shard.Now - entry.Accepted));
        var fields = new LogFields
        {
            Client = entry.Client,
            Local = LocalAddress(_tcpFormat, clientFd, local),
            Frontend = _name,
            Mode = _mode,
            Backend = entry.Backend,
            Server = entry.Server,
            AcceptDate = accepted,
            RequestDate = accepted,
            TR = -1,
            Tw = entry.Tw,
            Tc = entry.Tc,
            Tr = -1,
            Ta = entry.Tt,
            Tt = entry.Tt,
            Status = -1,
            Bytes = entry.Bytes,
            Cause = entry.Cause,
            Phase = entry.Phase,
            ProcessConnections = shard.ProcessConnections(),
            FrontendConnections = shard.FrontendConnectionsAllShards(frontendIndex),
            BackendConnections = entry.BackendConnections,
            ServerConnections = entry.ServerConnections,
            Retries = entry.Retries,
            Redispatched = entry.Redispatched,
            RequestLine = entry.RequestLine,
        };
        Write(shard, _tcpFormat, fields);
    }

    /// <summary>HAProxy's format without option: <c>Connect from %ci:%cp to %fi:%fp (%f/%m)</c>, written at accept.</summary>
    public void WriteConnect(Shard shard, ReadOnlySpan<byte> client, ReadOnlySpan<byte> local)
    {
        AccessLogRing ring = shard.AccessLog!;
        var line = new LogLineWriter(ring.Scratch);
        line.Append("Connect from "u8);
        line.AppendAddress(client);
        line.Append(" to "u8);
        line.AppendAddress(local);
        line.Append(" ("u8);
        line.Append(_name);
        line.Append((byte)'/');
        line.Append(_mode);
        line.Append((byte)')');
        Push(shard, line.Written);
    }

    private static ReadOnlySpan<byte> LocalAddress(LogFormat format, int clientFd, Span<byte> buffer)
    {
        if (!format.NeedsLocalAddress || clientFd < 0) return default;
        int length = TcpSocket.LocalAddress(clientFd, buffer);
        return length > 0 ? buffer[..length] : default;
    }

    private void Write(Shard shard, LogFormat format, in LogFields fields)
    {
        var line = new LogLineWriter(shard.AccessLog!.Scratch);
        format.Write(ref line, fields);
        Push(shard, line.Written);
    }

    private void Push(Shard shard, ReadOnlySpan<byte> line)
    {
        if (shard.AccessLog!.TryWrite(line, _set)) _writer.Wake();
        else shard.Counters.DroppedLogs++;
    }
}
