using System.Net.Sockets;
using System.Text;
using Appliance.Config.Model;
using Appliance.Logging;
using Appliance.Native;

namespace Appliance.Runtime;

/// <summary>
/// A line-command server on a Unix listening socket, HAProxy style: a client sends one command line
/// (or several separated by <c>;</c>), gets the answer, and the connection closes. Serves the runtime
/// API (<c>stats socket</c>) and the master CLI. One background thread per socket, never on the data
/// path; clients are answered one at a time.
/// <para>
/// The listening socket may be shared with other processes (the master hands it to each worker
/// generation), so it is polled and accepted with plain syscalls and, when this server stops, only this
/// process's descriptor is closed: no <c>shutdown(2)</c>, which would stop the socket for every process.
/// </para>
/// </summary>
internal sealed class RuntimeApiServer : IDisposable
{
    /// <summary>Upper bound on one wait, in case a wake-up is lost.</summary>
    private const int PollIntervalMs = 1000;

    private readonly int _fd;
    private readonly string? _pathToRemove;
    private readonly Func<string, string> _answer;
    private readonly IEventLog _log;
    private readonly Thread _thread;
    private readonly EventFd _wake = EventFd.Create();
    private volatile bool _stopping;
    private int _disposed;

    private RuntimeApiServer(int fd, string? pathToRemove, string name, Func<string, string> answer, IEventLog log)
    {
        _fd = fd;
        _pathToRemove = pathToRemove;
        _answer = answer;
        _log = log;
        _thread = new Thread(Serve) { Name = name, IsBackground = true };
    }

    /// <summary>Binds <c>stats socket</c> itself (single-process use, e.g. <c>demo</c>) and starts serving.</summary>
    public static RuntimeApiServer? Start(StatsSocketConfig config, RuntimeCommands commands, IEventLog log, out string? error)
    {
        int fd = Bind(config.Path, config.Mode, out string? reason);
        if (fd < 0)
        {
            error = $"{config.Location}: section 'global': keyword 'stats': cannot bind socket '{config.Path}': {reason}";
            return null;
        }
        error = null;
        return Serve(fd, config, commands, log, removePathOnDispose: true);
    }

    /// <summary>Serves the runtime API on a socket opened by the master (takes the descriptor).</summary>
    public static RuntimeApiServer Serve(int fd, StatsSocketConfig config, RuntimeCommands commands, IEventLog log, bool removePathOnDispose) =>
        Serve(fd, "runtime-api", line => AnswerAll(line, l => commands.Execute(l, config.Level)), log, removePathOnDispose ? config.Path : null);

    /// <summary>Serves <paramref name="answer"/> (one call per client line) on <paramref name="fd"/> (takes the descriptor).</summary>
    public static RuntimeApiServer Serve(int fd, string name, Func<string, string> answer, IEventLog log, string? pathToRemove)
    {
        var server = new RuntimeApiServer(fd, pathToRemove, name, answer, log);
        server._thread.Start();
        return server;
    }

    /// <summary>Runs each <c>;</c>-separated command of a line and concatenates the answers.</summary>
    public static string AnswerAll(string line, Func<string, string> execute)
    {
        var answer = new StringBuilder();
        foreach (string command in line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            answer.Append(execute(command));
        }
        return answer.ToString();
    }

    /// <summary>
    /// Creates the Unix socket file (replacing a stale one, creating the directory) with
    /// <paramref name="mode"/> (default 0600). Returns the listening descriptor, or -1 with a reason.
    /// </summary>
    public static int Bind(string path, int? mode, out string? reason)
    {
        reason = null;
        try
        {
            string? directory = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = e.Message;
            return -1;
        }
        int fd = UnixSocket.OpenListener(path, backlog: 16);
        if (fd < 0)
        {
            reason = Errno.Message(-fd);
            return -1;
        }
        try
        {
            File.SetUnixFileMode(path, (UnixFileMode)(mode ?? Convert.ToInt32("600", 8)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Libc.Close(fd);
            reason = e.Message;
            return -1;
        }
        return fd;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping = true;
        _wake.Signal();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(6)))
        {
            _log.Warning($"{_thread.Name}: still answering a client; its socket stays open");
            return;
        }
        Libc.Close(_fd);
        _wake.Dispose();
        if (_pathToRemove is not null)
        {
            try { File.Delete(_pathToRemove); } catch (IOException) { }
        }
    }

    private void Serve()
    {
        while (!_stopping)
        {
            int ready = UnixSocket.WaitReadable(_fd, _wake.Fd, PollIntervalMs);
            if (ready < 0)
            {
                _log.Warning($"{_thread.Name}: poll failed: {Errno.Message(-ready)}");
                Thread.Sleep(PollIntervalMs);
                continue;
            }
            if (ready != 1 || _stopping) continue;
            int client = UnixSocket.Accept(_fd);
            if (client < 0)
            {
                // Another process sharing the socket took the connection, or the client gave up.
                if (-client is Errno.EAGAIN or Errno.ECONNABORTED) continue;
                _log.Warning($"{_thread.Name}: accept failed: {Errno.Message(-client)}");
                Thread.Sleep(PollIntervalMs);
                continue;
            }
            using var socket = new Socket(new SafeSocketHandle(client, ownsHandle: true));
            try
            {
                Answer(socket);
            }
            catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
            {
                // The client went away; nothing to report.
            }
        }
    }

    private void Answer(Socket client)
    {
        client.ReceiveTimeout = 5000;
        client.SendTimeout = 5000;
        string line = ReadLine(client);
        string answer;
        try
        {
            answer = _answer(line);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug in one command must not take the interface down: say so, keep serving.
            _log.Alert($"{_thread.Name}: command '{line}' failed: {e.GetType().Name}: {e.Message}");
            answer = $"Internal error: {e.Message}\n\n";
        }
        byte[] bytes = Encoding.UTF8.GetBytes(answer);
        for (int sent = 0; sent < bytes.Length;) sent += client.Send(bytes, sent, bytes.Length - sent, SocketFlags.None);
        client.Shutdown(SocketShutdown.Both);
    }

    private static string ReadLine(Socket client)
    {
        var buffer = new byte[4096];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (n == 0) break;
            int newline = Array.IndexOf(buffer, (byte)'\n', length, n);
            length += n;
            if (newline >= 0)
            {
                length = newline;
                break;
            }
        }
        return Encoding.UTF8.GetString(buffer, 0, length).TrimEnd('\r');
    }
}
