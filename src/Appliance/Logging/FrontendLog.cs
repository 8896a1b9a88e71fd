using Appliance.Config.Model;
using Appliance.Engine;

namespace Appliance.Logging;

/// <summary>
/// A frontend's access logging compiled for its sessions: which line it writes (HAProxy's httplog,
/// tcplog or default format, configuration.txt 8.2) and the target set the writer sends it to. Lines
/// are formatted into the shard's ring scratch and copied into its ring: no allocation, no lock, no
/// system call on the shard (except waking an idle writer). Shared by all shards; methods run on the
/// calling session's shard.
/// </summary>
internal sealed class FrontendLog
{
    private readonly int _set;
    private readonly AccessLogWriter _writer;
    private readonly string _name;
    private readonly string _mode;

    public FrontendLog(FrontendConfig config, int set, AccessLogWriter writer)
    {
        _set = set;
        _writer = writer;
        _name = config.Name;
        Option = config.Log.Option;
        DontLogNull = config.Log.DontLogNull;
        _mode = config.Mode == ProxyMode.Http ? "HTTP" : "TCP";
    }

    public LogOption Option { get; }

    public bool DontLogNull { get; }

    /// <summary>Longest request line kept for the log (HAProxy's <c>tune.http.logurilen</c> default).</summary>
    public const int MaxRequestLine = 1024;

    /// <summary>
    /// <c>%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %{+Q}r</c>
    /// (HAProxy's httplog; the captured headers are absent, as without <c>capture</c> lines).
    /// </summary>
    public void WriteHttp(Shard shard, int frontendIndex, in HttpLogEntry entry)
    {
        AccessLogRing ring = shard.AccessLog!;
        var line = new LogLineWriter(ring.Scratch);
        line.AppendAddress(entry.Client);
        line.Append(" ["u8);
        line.AppendDate(WallClock(shard, entry.RequestStart));
        line.Append("] "u8);
        line.Append(_name);
        line.Append((byte)' ');
        line.Append(entry.Backend ?? _name);
        line.Append((byte)'/');
        if (entry.Server is null) line.Append("<NOSRV>"u8);
        else line.Append(entry.Server);
        line.Append((byte)' ');
        line.Append(entry.TR);
        line.Append((byte)'/');
        line.Append(entry.Tw);
        line.Append((byte)'/');
        line.Append(entry.Tc);
        line.Append((byte)'/');
        line.Append(entry.Tr);
        line.Append((byte)'/');
        line.Append(entry.Ta);
        line.Append((byte)' ');
        line.Append(entry.Status);
        line.Append((byte)' ');
        line.Append(entry.Bytes);
        line.Append(" - - "u8);
        line.Append(entry.Cause);
        line.Append(entry.Phase);
        line.Append("--"u8);
        AppendConnections(ref line, shard, frontendIndex, entry.BackendConnections, entry.ServerConnections, entry.Retries, entry.Redispatched);
        line.Append((byte)' ');
        if (entry.RequestLine.IsEmpty) line.Append("\"<BADREQ>\""u8);
        else line.AppendQuoted(entry.RequestLine);
        Push(shard, line.Written);
    }

    /// <summary><c>%ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq</c> (HAProxy's tcplog).</summary>
    public void WriteTcp(Shard shard, int frontendIndex, in TcpLogEntry entry)
    {
        AccessLogRing ring = shard.AccessLog!;
        var line = new LogLineWriter(ring.Scratch);
        line.AppendAddress(entry.Client);
        line.Append(" ["u8);
        line.AppendDate(WallClock(shard, entry.Accepted));
        line.Append("] "u8);
        line.Append(_name);
        line.Append((byte)' ');
        line.Append(entry.Backend ?? _name);
        line.Append((byte)'/');
        if (entry.Server is null) line.Append("<NOSRV>"u8);
        else line.Append(entry.Server);
        line.Append((byte)' ');
        line.Append(entry.Tw);
        line.Append((byte)'/');
        line.Append(entry.Tc);
        line.Append((byte)'/');
        line.Append(entry.Tt);
        line.Append((byte)' ');
        line.Append(entry.Bytes);
        line.Append((byte)' ');
        line.Append(entry.Cause);
        line.Append(entry.Phase);
        AppendConnections(ref line, shard, frontendIndex, entry.BackendConnections, entry.ServerConnections, entry.Retries, entry.Redispatched);
        Push(shard, line.Written);
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

    /// <summary><c> %ac/%fc/%bc/%sc/%rc %sq/%bq</c>; queue positions are not tracked and read 0.</summary>
    private static void AppendConnections(ref LogLineWriter line, Shard shard, int frontendIndex, long backend, long server, int retries, bool redispatched)
    {
        line.Append((byte)' ');
        line.Append(shard.ProcessConnections());
        line.Append((byte)'/');
        line.Append(shard.FrontendConnectionsAllShards(frontendIndex));
        line.Append((byte)'/');
        line.Append(backend);
        line.Append((byte)'/');
        line.Append(server);
        line.Append((byte)'/');
        if (redispatched) line.Append((byte)'+');
        line.Append(retries);
        line.Append(" 0/0"u8);
    }

    /// <summary>The wall-clock time of a shard-clock instant (local time, as HAProxy's log dates).</summary>
    private static DateTime WallClock(Shard shard, long instant) => DateTime.Now.AddMilliseconds(-(shard.Now - instant));

    private void Push(Shard shard, ReadOnlySpan<byte> line)
    {
        if (shard.AccessLog!.TryWrite(line, _set)) _writer.Wake();
        else shard.Counters.DroppedLogs++;
    }
}
