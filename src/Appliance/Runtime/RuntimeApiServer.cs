using System.Net.Sockets;
using System.Text;
using Appliance.Config.Model;
using Appliance.Logging;

namespace Appliance.Runtime;

/// <summary>
/// The runtime API on a <c>stats socket</c> Unix socket, HAProxy style: a client sends one command
/// line (or several separated by <c>;</c>), gets the answer, and the connection closes. Served by one
/// background thread per socket; it only reads shard counters, never touches the data path.
/// </summary>
internal sealed class RuntimeApiServer : IDisposable
{
    private readonly StatsSocketConfig _config;
    private readonly RuntimeCommands _commands;
    private readonly IEventLog _log;
    private readonly Socket _listener;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private RuntimeApiServer(StatsSocketConfig config, RuntimeCommands commands, IEventLog log, Socket listener)
    {
        _config = config;
        _commands = commands;
        _log = log;
        _listener = listener;
        _thread = new Thread(Serve) { Name = "runtime-api", IsBackground = true };
    }

    /// <summary>Binds the socket (replacing a stale file) and starts serving; null with an error if it cannot.</summary>
    public static RuntimeApiServer? Start(StatsSocketConfig config, RuntimeCommands commands, IEventLog log, out string? error)
    {
        error = null;
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            string? directory = Path.GetDirectoryName(config.Path);
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
            if (File.Exists(config.Path)) File.Delete(config.Path);
            listener.Bind(new UnixDomainSocketEndPoint(config.Path));
            File.SetUnixFileMode(config.Path, (UnixFileMode)(config.Mode ?? Convert.ToInt32("600", 8)));
            listener.Listen(16);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            error = $"{config.Location}: section 'global': keyword 'stats': cannot bind socket '{config.Path}': {e.Message}";
            return null;
        }
        var server = new RuntimeApiServer(config, commands, log, listener);
        server._thread.Start();
        return server;
    }

    public void Dispose()
    {
        _stopping = true;
        _listener.Dispose();
        _thread.Join(TimeSpan.FromSeconds(2));
        try { File.Delete(_config.Path); } catch (IOException) { }
    }

    private void Serve()
    {
        while (!_stopping)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.Warning($"runtime API accept failed: {e.Message}");
                continue;
            }
            using (client)
            {
                try
                {
                    Answer(client);
                }
                catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
                {
                    // The client went away; nothing to report.
                }
            }
        }
    }

    private void Answer(Socket client)
    {
        client.ReceiveTimeout = 5000;
        client.SendTimeout = 5000;
        string line = ReadLine(client);
        var answer = new StringBuilder();
        foreach (string command in line.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            answer.Append(_commands.Execute(command, _config.Level));
        }
        client.Send(Encoding.UTF8.GetBytes(answer.ToString()));
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
