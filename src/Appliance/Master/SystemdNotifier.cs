using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Appliance.Logging;

namespace Appliance.Master;

/// <summary>
/// systemd's notify protocol (sd_notify(3)), spoken directly: one datagram of <c>KEY=VALUE</c> lines
/// to the Unix socket named by <c>$NOTIFY_SOCKET</c> (a leading '@' names the abstract namespace).
/// Without the variable every call does nothing. Only the master notifies; workers never see the variable.
/// </summary>
internal sealed class SystemdNotifier
{
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly IEventLog _log;
    private readonly object _gate = new();
    private bool _warned;

    public SystemdNotifier(IEventLog log, string? socketPath = null)
    {
        _log = log;
        string? path = socketPath ?? Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path)) return;
        _endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
    }

    public bool Enabled => _endPoint is not null;

    /// <summary>The first worker serves: <c>READY=1</c> with the master as <c>MAINPID</c>.</summary>
    public void Ready(string status) =>
        Send($"READY=1\nMAINPID={Environment.ProcessId}\nSTATUS={status}\n");

    /// <summary>A reload starts: <c>RELOADING=1</c> with <c>MONOTONIC_USEC</c> (CLOCK_MONOTONIC, as systemd wants).</summary>
    public void Reloading(string status) =>
        Send($"RELOADING=1\nMONOTONIC_USEC={MonotonicMicroseconds().ToString(CultureInfo.InvariantCulture)}\nSTATUS={status}\n");

    public void Stopping(string status) => Send($"STOPPING=1\nSTATUS={status}\n");

    public void Status(string status) => Send($"STATUS={status}\n");

    /// <summary>Stopwatch reads CLOCK_MONOTONIC on Linux.</summary>
    private static long MonotonicMicroseconds() =>
        (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    private void Send(string message)
    {
        if (_endPoint is null) return;
        lock (_gate)
        {
            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
                socket.SendTo(Encoding.UTF8.GetBytes(message), _endPoint);
            }
            catch (SocketException e)
            {
                if (_warned) return;
                _warned = true;
                _log.Warning($"systemd notification failed ({e.Message}); further failures are not logged");
            }
        }
    }
}
