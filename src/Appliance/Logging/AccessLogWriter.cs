using Appliance.Config.Model;

namespace Appliance.Logging;

/// <summary>
/// The access log's writer thread: drains every shard's <see cref="AccessLogRing"/> and sends each line
/// to its frontend's targets (stdout, stderr, UDP syslog, local syslog socket) with the target's syslog
/// header. Shards never wait for it; when it falls behind, their rings fill and lines are dropped (and
/// counted by the shards). One per worker; created only when some frontend logs.
/// </summary>
internal sealed class AccessLogWriter : IDisposable
{
    /// <summary>Longest sleep when idle: bounds the delay of a line whose wake-up signal was missed.</summary>
    private const int IdleWaitMs = 50;

    private readonly AccessLogRing[] _rings;
    private readonly (LogSink Sink, LogTargetConfig Target)[][] _sets;
    private readonly List<LogSink> _sinks;
    private readonly Dictionary<ValueList<LogTargetConfig>, int> _setIndex;
    private readonly string _tag;
    private readonly string _host = Environment.MachineName;
    private readonly int _pid = Environment.ProcessId;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly byte[] _line = new byte[AccessLogRing.MaxMessageLength + 256];
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _sleeping;
    private long _sendFailures;

    private AccessLogWriter(ApplianceConfig config, int shardCount)
    {
        _tag = config.Global.LogTag ?? "appliance";
        _rings = new AccessLogRing[shardCount];
        for (int i = 0; i < shardCount; i++) _rings[i] = new AccessLogRing(config.Global.LogRingSize);
        _sinks = new List<LogSink>();
        var byTarget = new Dictionary<string, LogSink>(StringComparer.Ordinal);
        var sets = new List<(LogSink, LogTargetConfig)[]>();
        _setIndex = new Dictionary<ValueList<LogTargetConfig>, int>();
        foreach (FrontendConfig frontend in config.Frontends)
        {
            ValueList<LogTargetConfig> targets = frontend.Log.Targets;
            if (targets.Count == 0 || _setIndex.ContainsKey(targets)) continue;
            var set = new List<(LogSink, LogTargetConfig)>();
            foreach (LogTargetConfig target in targets)
            {
                // Traffic lines are info; a target limited to a more severe level gets none.
                if (target.Level < LogTargetConfig.InfoLevel) continue;
                string key = target.Kind + " " + target;
                if (!byTarget.TryGetValue(key, out LogSink? sink))
                {
                    sink = Open(target);
                    byTarget[key] = sink;
                    _sinks.Add(sink);
                }
                set.Add((sink, target));
            }
            _setIndex[targets] = sets.Count;
            sets.Add([.. set]);
        }
        _sets = [.. sets];
        _thread = new Thread(Run) { Name = "access-log", IsBackground = true };
    }

    /// <summary>A writer for the frontends of <paramref name="config"/> that log, or null when none does.</summary>
    public static AccessLogWriter? Create(ApplianceConfig config, int shardCount)
    {
        bool any = false;
        foreach (FrontendConfig frontend in config.Frontends) any |= frontend.Log.Enabled;
        if (!any) return null;
        var writer = new AccessLogWriter(config, shardCount);
        writer._thread.Start();
        return writer;
    }

    /// <summary>Lines the writer could not hand to a target (datagram refused, stream closed).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public AccessLogRing Ring(int shard) => _rings[shard];

    /// <summary>The compiled logging of a frontend, or null when it has no target.</summary>
    public FrontendLog? For(FrontendConfig frontend) =>
        frontend.Log.Enabled && _setIndex.TryGetValue(frontend.Log.Targets, out int set) ? new FrontendLog(frontend, set, this) : null;

    /// <summary>Shard thread, after a write: wakes the writer if it sleeps (one interlocked operation only then).</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1) _signal.Release();
    }

    private static LogSink Open(LogTargetConfig target) => target.Kind switch
    {
        LogTargetKind.Stdout => new StreamLogSink(Console.OpenStandardOutput()),
        LogTargetKind.Stderr => new StreamLogSink(Console.OpenStandardError()),
        LogTargetKind.Udp => DatagramLogSink.Udp(target.Endpoint!),
        _ => DatagramLogSink.Unix(target.Path!),
    };

    private void Run()
    {
        while (true)
        {
            bool stopping = _stopping;
            bool any = Drain();
            if (stopping)
            {
                // The shards have stopped: what they wrote last is sent before the thread ends.
                while (Drain())
                {
                }
                break;
            }
            if (any) continue;
            Volatile.Write(ref _sleeping, 1);
            Interlocked.MemoryBarrier();
            if (!Empty())
            {
                Volatile.Write(ref _sleeping, 0);
                continue;
            }
            _signal.Wait(IdleWaitMs);
            Volatile.Write(ref _sleeping, 0);
        }
        foreach (LogSink sink in _sinks) sink.Flush();
    }

    private bool Empty()
    {
        foreach (AccessLogRing ring in _rings)
        {
            if (ring.Pending > 0) return false;
        }
        return true;
    }

    /// <summary>One pass over the rings (a bounded number of lines each, so no shard starves the others).</summary>
    private bool Drain()
    {
        bool any = false;
        DateTimeOffset now = DateTimeOffset.Now;
        foreach (AccessLogRing ring in _rings)
        {
            for (int n = 0; n < 256 && ring.TryPeek(out ReadOnlySpan<byte> message, out int set); n++)
            {
                any = true;
                if (set < _sets.Length)
                {
                    foreach (var (sink, target) in _sets[set]) Send(sink, target, message, now);
                }
                ring.Consume();
            }
        }
        if (any)
        {
            foreach (LogSink sink in _sinks) sink.Flush();
        }
        return any;
    }

    private void Send(LogSink sink, LogTargetConfig target, ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        Span<byte> line = _line;
        int header = SyslogHeader.Write(line, target, LogTargetConfig.InfoLevel, now, _tag, _host, _pid);
        int room = Math.Max(0, Math.Min(target.MaxLength, line.Length - 1) - header);
        int length = Math.Min(room, message.Length);
        message[..length].CopyTo(line[header..]);
        int total = header + length;
        if (sink.IsStream) line[total++] = (byte)'\n';
        if (!sink.Send(line[..total])) Interlocked.Increment(ref _sendFailures);
    }

    /// <summary>Sends what the rings still hold, then stops the thread (after the shards stopped).</summary>
    public void Dispose()
    {
        _stopping = true;
        _signal.Release();
        _thread.Join(TimeSpan.FromSeconds(2));
        foreach (LogSink sink in _sinks) sink.Dispose();
    }
}
