using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Appliance.Logging;
using Appliance.Native;
using Appliance.Runtime;

namespace Appliance.Master;

/// <summary>
/// The master's handle on one worker process: the child process, its channel, what it was given and
/// what it last reported. A reader thread per worker receives its messages; when the channel ends the
/// worker is gone and <c>exited</c> is called once.
/// </summary>
internal sealed class WorkerProcess
{
    private readonly Process _process;
    private readonly IEventLog _log;
    private readonly Action<WorkerProcess, ChannelMessage> _onMessage;
    private readonly Action<WorkerProcess> _onExit;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ChannelMessage>> _requests = new();
    private readonly TaskCompletionSource<string?> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drainAcknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextRequest;

    private WorkerProcess(int generation, Process process, WorkerChannel channel, IReadOnlyList<SocketAssignment> sockets,
        TimeSpan? hardStopAfter, IEventLog log, Action<WorkerProcess, ChannelMessage> onMessage, Action<WorkerProcess> onExit)
    {
        Generation = generation;
        _process = process;
        Pid = process.Id;
        Channel = channel;
        Sockets = sockets;
        HardStopAfter = hardStopAfter;
        _log = log;
        _onMessage = onMessage;
        _onExit = onExit;
        StartedAt = DateTime.UtcNow;
    }

    public int Generation { get; }

    public int Pid { get; }

    public WorkerChannel Channel { get; }

    /// <summary>The sockets this worker was given (it polls them until it has started draining).</summary>
    public IReadOnlyList<SocketAssignment> Sockets { get; }

    /// <summary>This worker's own <c>hard-stop-after</c>, which bounds its drain.</summary>
    public TimeSpan? HardStopAfter { get; }

    public DateTime StartedAt { get; }

    /// <summary>Reloads this worker went through (HAProxy's <c>reloads</c> column in <c>show proc</c>).</summary>
    public int Reloads { get; set; }

    public WorkerPhase Phase { get; set; } = WorkerPhase.Starting;

    /// <summary>True once the worker said it no longer polls the listening sockets.</summary>
    public bool DrainStarted { get; set; }

    public DateTime? DrainingSince { get; set; }

    /// <summary>Latest counters it reported (periodic push, state answers, final).</summary>
    public CounterSnapshot Counters { get; set; } = CounterSnapshot.Empty;

    /// <summary>Latest server states it reported.</summary>
    public IReadOnlyList<CarriedServerState> Servers { get; set; } = [];

    /// <summary>Completes with null when READY arrives, or with the reason it will never come.</summary>
    public Task<string?> Ready => _ready.Task;

    public Task Exited => _exited.Task;

    /// <summary>Completes when the worker said it no longer polls the listening sockets.</summary>
    public Task DrainAcknowledged => _drainAcknowledged.Task;

    public void AcknowledgeDrain() => _drainAcknowledged.TrySetResult();

    public string ExitDescription { get; private set; } = "";

    /// <summary>
    /// Starts <c>appliance worker</c> (this same executable) with one end of a new socketpair as its
    /// channel, then sends the descriptors and <paramref name="init"/>. Throws on failure to spawn.
    /// </summary>
    public static WorkerProcess Spawn(
        int generation,
        IReadOnlyList<SocketAssignment> sockets,
        Action<BinaryWriter> init,
        TimeSpan? hardStopAfter,
        IEventLog log,
        Action<WorkerProcess, ChannelMessage> onMessage,
        Action<WorkerProcess> onExit)
    {
        int rc = UnixSocket.Pair(out int masterEnd, out int workerEnd);
        if (rc != 0) throw new IOException($"socketpair failed: {Errno.Message(-rc)}");
        Process process;
        try
        {
            var start = new ProcessStartInfo(ExecutablePath()) { UseShellExecute = false };
            foreach (string argument in LeadingArguments()) start.ArgumentList.Add(argument);
            start.ArgumentList.Add("worker");
            start.ArgumentList.Add("--channel-fd");
            start.ArgumentList.Add(workerEnd.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("--generation");
            start.ArgumentList.Add(generation.ToString(CultureInfo.InvariantCulture));
            // Only the master talks to systemd.
            start.Environment.Remove("NOTIFY_SOCKET");
            // The worker's end must survive exec; every other descriptor of ours is close-on-exec. Spawns
            // are serialized by the master, so no other child can inherit it in between.
            UnixSocket.SetInheritable(workerEnd, true);
            process = Process.Start(start) ?? throw new IOException("the worker process did not start");
        }
        catch
        {
            Libc.Close(masterEnd);
            Libc.Close(workerEnd);
            throw;
        }
        Libc.Close(workerEnd);

        var channel = new WorkerChannel(masterEnd);
        var worker = new WorkerProcess(generation, process, channel, sockets, hardStopAfter, log, onMessage, onExit);
        try
        {
            // Descriptors first, in batches the kernel accepts, then the rest of the start-up data.
            const int Batch = 200;
            for (int offset = 0; offset < sockets.Count; offset += Batch)
            {
                var batch = sockets.Skip(offset).Take(Batch).ToList();
                int[] fds = batch.Select(s => s.Socket.Fd).ToArray();
                channel.Send(MessageKind.Descriptors, w =>
                {
                    w.Write(batch.Count);
                    foreach (SocketAssignment s in batch)
                    {
                        w.Write((byte)s.Socket.Kind);
                        w.Write(s.A);
                        w.Write(s.B);
                        w.Write(s.C);
                    }
                }, fds);
            }
            channel.Send(MessageKind.Init, init);
        }
        catch (IOException e)
        {
            worker._ready.TrySetResult($"cannot hand over to worker {worker.Pid}: {e.Message}");
        }
        var reader = new Thread(worker.ReadLoop) { Name = $"worker-{worker.Pid}", IsBackground = true };
        reader.Start();
        return worker;
    }

    /// <summary>Sends a request and waits for the answer with the same id; null on timeout or if the worker is gone.</summary>
    public ChannelMessage? Request(MessageKind kind, Action<BinaryWriter>? body, TimeSpan timeout)
    {
        long id = Interlocked.Increment(ref _nextRequest);
        var answer = new TaskCompletionSource<ChannelMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests[id] = answer;
        try
        {
            if (!Channel.TrySend(kind, w =>
                {
                    w.Write(id);
                    body?.Invoke(w);
                }))
            {
                return null;
            }
            return answer.Task.Wait(timeout) ? answer.Task.Result : null;
        }
        finally
        {
            _requests.TryRemove(id, out _);
        }
    }

    /// <summary>SIGKILL (last resort: a worker that ignores its deadline or its channel).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public override string ToString() => $"worker {Pid} (generation {Generation})";

    private void ReadLoop()
    {
        try
        {
            while (Channel.Receive() is { } message)
            {
                switch (message.Kind)
                {
                    case MessageKind.Ready:
                        _ready.TrySetResult(null);
                        break;
                    case MessageKind.Failed:
                        _ready.TrySetResult(message.Reader().ReadString());
                        break;
                    case MessageKind.State or MessageKind.CommandResult:
                        long id = BitConverter.ToInt64(message.Payload, 0);
                        if (id != 0 && _requests.TryGetValue(id, out var pending)) pending.TrySetResult(message);
                        break;
                }
                _onMessage(this, message);
            }
        }
        catch (Exception e) when (e is IOException or EndOfStreamException)
        {
            _log.Alert($"{this}: channel error: {e.Message}");
        }
        Channel.Dispose();
        // The channel ends when the process does; reap it for the exit status (bounded: a worker
        // that closed its channel but lingers is killed).
        if (!_process.WaitForExit(5000))
        {
            Kill();
            _process.WaitForExit(5000);
        }
        ExitDescription = _process.HasExited ? Describe(_process.ExitCode) : "still running, killed";
        _ready.TrySetResult($"worker {Pid} exited ({ExitDescription}) before it was ready");
        foreach (var pending in _requests.Values) pending.TrySetCanceled();
        _process.Dispose();
        _onExit(this);
        _exited.TrySetResult();
    }

    private static string Describe(int exitCode) =>
        exitCode > 128 ? $"killed by signal {exitCode - 128}" : $"exit code {exitCode}";

    /// <summary>This executable: the native binary, or the apphost of a framework-dependent build.</summary>
    private static string ExecutablePath()
    {
        string path = Environment.ProcessPath ?? throw new IOException("cannot tell this executable's path");
        return path;
    }

    /// <summary>Under <c>dotnet appliance.dll</c> the worker needs the assembly path too.</summary>
    private static IEnumerable<string> LeadingArguments()
    {
        string? path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            yield return Path.Combine(AppContext.BaseDirectory, "appliance.dll");
        }
    }
}
