using System.Diagnostics;
using System.Runtime.InteropServices;
using Appliance.Cli;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Forwarding;
using Appliance.Logging;
using Appliance.Runtime;

namespace Appliance.Master;

/// <summary>
/// The worker side of the master–worker model (<c>appliance worker</c>, started by the master only):
/// receives the listening and runtime API sockets and the configuration text over its channel, runs
/// the data plane on them, reports READY, and then obeys the master: state requests, runtime commands,
/// drain, stop. It exits when drained, when told to stop, or when the master is gone (channel closed).
/// </summary>
internal sealed class WorkerHost
{
    /// <summary>How often counters and server states are pushed to the master (what survives a crash).</summary>
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>How often a draining worker looks whether its last connection ended.</summary>
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(50);

    private readonly WorkerChannel _channel;
    private readonly IEventLog _log;
    private readonly int _generation;
    private readonly object _finishGate = new();
    private readonly ManualResetEventSlim _stopping = new();
    private RunningProxy? _proxy;
    private volatile CounterSnapshot _baseline = CounterSnapshot.Empty;
    private bool _finished;

    private WorkerHost(WorkerChannel channel, IEventLog log, int generation)
    {
        _channel = channel;
        _log = log;
        _generation = generation;
    }

    public static int Run(int channelFd, int generation, IEventLog log)
    {
        var host = new WorkerHost(new WorkerChannel(channelFd), log, generation);
        return host.Run();
    }

    private int Run()
    {
        // Ctrl-C in a terminal reaches the whole process group: the master decides. SIGTERM sent to a
        // worker directly (or by a service manager to the whole group) drains it, as the master would.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, c => c.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c =>
        {
            c.Cancel = true;
            ThreadPool.QueueUserWorkItem(_ => BeginDrain());
        });

        var descriptors = new List<(HandedSocketKind Kind, int A, int B, int C, int Fd)>();
        ChannelMessage? init = null;
        while (init is null)
        {
            ChannelMessage? message = _channel.Receive();
            if (message is null)
            {
                _log.Alert($"worker generation {_generation}: the master went away before start-up");
                return 1;
            }
            if (message.Kind == MessageKind.Descriptors)
            {
                using BinaryReader reader = message.Reader();
                int count = reader.ReadInt32();
                for (int i = 0; i < count; i++)
                {
                    var kind = (HandedSocketKind)reader.ReadByte();
                    descriptors.Add((kind, reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), message.Fds[i]));
                }
            }
            else if (message.Kind == MessageKind.Init)
            {
                init = message;
            }
        }

        string? failure = Start(init, descriptors);
        if (failure is not null)
        {
            _log.Alert($"worker generation {_generation}: {failure}");
            _channel.TrySend(MessageKind.Failed, w => w.Write(failure));
            return 1;
        }
        _channel.TrySend(MessageKind.Ready, w => w.Write(Environment.ProcessId));
        Worker worker = _proxy!.Worker;
        _log.Info($"worker generation {_generation} serving (pid {Environment.ProcessId}, {worker.ShardCount} shard(s))");
        new Thread(PushLoop) { Name = "state-push", IsBackground = true }.Start();

        while (_channel.Receive() is { } message)
        {
            switch (message.Kind)
            {
                case MessageKind.StateRequest:
                    SendState(BitConverter.ToInt64(message.Payload, 0));
                    break;
                case MessageKind.Baseline:
                    using (BinaryReader reader = message.Reader()) _baseline = CounterSnapshot.Read(reader);
                    break;
                case MessageKind.Drain:
                    BeginDrain();
                    break;
                case MessageKind.Stop:
                    Finish("stopped by the master");
                    break;
                case MessageKind.Command:
                    Execute(message);
                    break;
            }
        }
        Finish("the master went away");
        return 0;
    }

    /// <summary>Builds the data plane from the hand-over; returns why it could not, or null.</summary>
    private string? Start(ChannelMessage init, List<(HandedSocketKind Kind, int A, int B, int C, int Fd)> descriptors)
    {
        using BinaryReader reader = init.Reader();
        int generation = reader.ReadInt32();
        string configName = reader.ReadString();
        string configText = reader.ReadString();
        List<CarriedServerState> carried = CarriedServerState.ReadList(reader);
        _baseline = CounterSnapshot.Read(reader);

        var errors = new StringWriter();
        CompiledConfig? compiled = ConfigFileLoader.LoadText(configText, configName, errors);
        if (compiled is null)
        {
            CloseAll(descriptors);
            return $"configuration refused: {errors}";
        }
        ApplianceConfig config = compiled.Config;
        var listeners = new List<OpenListener>();
        var statsFds = new Dictionary<int, int>();
        foreach (var (kind, a, b, c, fd) in descriptors)
        {
            if (kind == HandedSocketKind.Listener && a < config.Frontends.Count && b < config.Frontends[a].Binds.Count)
            {
                listeners.Add(new OpenListener(fd, a, c, config.Frontends[a].Binds[b]));
            }
            else if (kind == HandedSocketKind.StatsSocket && a < config.Global.StatsSockets.Count)
            {
                statsFds[a] = fd;
            }
            else
            {
                CloseAll(descriptors);
                return $"a handed-over socket does not match the configuration ({kind} {a}/{b}/{c})";
            }
        }

        var handoff = new ProxyHandoff(
            Master.ListenerSet.Adopt(listeners),
            statsFds,
            backends =>
            {
                int applied = CarriedServerState.Apply(backends, carried, why => _log.Warning($"worker generation {generation}: {why}"));
                if (carried.Count > 0) _log.Info($"worker generation {generation}: carried over the state of {applied} server(s)");
            },
            () => _baseline,
            generation);
        _proxy = RunningProxy.Start(compiled, _log, out string? error, handoff);
        return _proxy is null ? error ?? "cannot start" : null;
    }

    private void SendState(long id)
    {
        Worker worker = _proxy!.Worker;
        List<CarriedServerState> servers = CarriedServerState.Capture(worker.Backends.Select(b => b.State));
        CounterSnapshot counters = CounterSnapshot.Capture(worker);
        _channel.TrySend(MessageKind.State, w =>
        {
            w.Write(id);
            CarriedServerState.WriteList(w, servers);
            counters.Write(w);
        });
    }

    private void Execute(ChannelMessage message)
    {
        using BinaryReader reader = message.Reader();
        long id = reader.ReadInt64();
        var level = (RuntimeApiLevel)reader.ReadInt32();
        string line = reader.ReadString();
        RunningProxy proxy = _proxy!;
        string answer = RuntimeApiServer.AnswerAll(line, l => proxy.Commands.Execute(l, level));
        _channel.TrySend(MessageKind.CommandResult, w =>
        {
            w.Write(id);
            w.Write(answer);
        });
    }

    /// <summary>Stops accepting, then waits (on a thread of its own) for the last connection or the deadline.</summary>
    private void BeginDrain()
    {
        RunningProxy? proxy = _proxy;
        if (proxy is null)
        {
            Finish("asked to drain before it served");
            return;
        }
        lock (_finishGate)
        {
            if (_finished || proxy.Worker.Draining) return;
            proxy.BeginDrain();
        }
        _channel.TrySend(MessageKind.DrainStarted);
        TimeSpan? hardStop = proxy.Worker.Config.Global.HardStopAfter;
        _log.Info($"worker generation {_generation} draining: {proxy.Worker.CurrentConnections} connection(s) open"
                  + (hardStop is { } limit ? $", hard-stop-after {limit.TotalSeconds:0.###} s" : ""));
        new Thread(() => WaitDrained(proxy, hardStop)) { Name = "drain", IsBackground = true }.Start();
    }

    private void WaitDrained(RunningProxy proxy, TimeSpan? hardStop)
    {
        var clock = Stopwatch.StartNew();
        while (proxy.Worker.CurrentConnections > 0)
        {
            if (hardStop is { } limit && clock.Elapsed >= limit)
            {
                Finish($"hard-stop-after reached with {proxy.Worker.CurrentConnections} connection(s) still open: closing them");
                return;
            }
            if (_stopping.Wait(DrainPollInterval)) return;
        }
        Finish("drained");
    }

    private void PushLoop()
    {
        while (!_stopping.Wait(PushInterval)) SendState(0);
    }

    /// <summary>Stops everything, sends the last counters and exits the process. Any thread; once.</summary>
    private void Finish(string why)
    {
        lock (_finishGate)
        {
            if (_finished) return;
            _finished = true;
        }
        _stopping.Set();
        _log.Info($"worker generation {_generation} (pid {Environment.ProcessId}) exiting: {why}");
        RunningProxy? proxy = _proxy;
        if (proxy is not null)
        {
            proxy.Dispose();
            CounterSnapshot counters = CounterSnapshot.Capture(proxy.Worker);
            _channel.TrySend(MessageKind.Final, counters.Write);
        }
        Environment.Exit(0);
    }

    private static void CloseAll(List<(HandedSocketKind Kind, int A, int B, int C, int Fd)> descriptors)
    {
        foreach (var descriptor in descriptors) Native.Libc.Close(descriptor.Fd);
    }
}
