using System.Net.Sockets;
using Appliance.Logging;
using Appliance.Runtime;

namespace Appliance.Master;

/// <summary>
/// Opens the master CLI socket (<c>-S PATH</c> or <c>master-socket</c>): refuses to take over a path a
/// running master still answers on, and with no explicit path runs without one when the default
/// cannot be bound (a second master for tests or demos must not fail on <c>/run/appliance</c>).
/// </summary>
internal static class MasterSocket
{
    /// <summary>
    /// The serving CLI, or null. <paramref name="ok"/> is false only when <paramref name="required"/>
    /// and the socket could not be opened (the master must not start then).
    /// </summary>
    public static RuntimeApiServer? Open(string path, bool required, Func<string, string> answer, IEventLog log, out bool ok)
    {
        ok = true;
        if (File.Exists(path) && IsAnswering(path))
        {
            string message = $"master socket {path} is in use by a running master";
            if (required)
            {
                log.Alert(message);
                ok = false;
                return null;
            }
            log.Warning($"{message}; this master runs without one (use -S PATH)");
            return null;
        }
        int fd = RuntimeApiServer.Bind(path, mode: null, out string? reason);
        if (fd < 0)
        {
            if (required)
            {
                log.Alert($"cannot bind the master socket {path}: {reason}");
                ok = false;
                return null;
            }
            log.Warning($"cannot bind the master socket {path}: {reason}; this master runs without one (use -S PATH)");
            return null;
        }
        return RuntimeApiServer.Serve(fd, "master-cli", answer, log, pathToRemove: path);
    }

    private static bool IsAnswering(string path)
    {
        try
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
