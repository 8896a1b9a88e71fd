using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CompareRunner;

/// <summary>
/// Time from starting a proxy to its systemd <c>READY=1</c>: each run creates a notify socket, starts the
/// proxy with <c>NOTIFY_SOCKET</c> pointing at it (the appliance always speaks the protocol; HAProxy with
/// <c>-Ws</c>), and takes the time the datagram arrives. Then one request through it proves it serves,
/// and it is stopped. The appliance sends READY once its first worker serves, HAProxy once its workers run.
/// </summary>
internal static class StartupTimer
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    public static StartupResult Measure(Lab lab, string target, string configName, Func<IPEndPoint, string> config, int runs)
    {
        var times = new List<double>();
        int failures = 0;
        for (int run = 0; run < runs; run++)
        {
            try
            {
                times.Add(Once(lab, target, configName, config, run));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or SocketException)
            {
                Console.Error.WriteLine($"startup {target} {configName} run {run + 1}: {e.Message}");
                failures++;
            }
        }
        return new StartupResult(configName, target, times, failures);
    }

    private static double Once(Lab lab, string target, string configName, Func<IPEndPoint, string> config, int run)
    {
        IPEndPoint bind = lab.NextPort();
        string name = $"startup-{target}-{configName}-{run + 1}";
        string path = lab.WriteFile(name + ".cfg", config(bind));
        string notifyPath = Path.Combine(lab.Directory, name + ".notify");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 1000 };
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath };
        long started = Stopwatch.GetTimestamp();
        using ManagedProcess process = target == "appliance"
            ? lab.StartProcess(name, lab.AppliancePath, ["run", "-f", path, "-S", Path.Combine(lab.Directory, name + ".sock")], environment)
            : lab.StartProcess(name, "haproxy", ["-Ws", "-f", path], environment);
        var buffer = new byte[4096];
        while (true)
        {
            if (Stopwatch.GetElapsedTime(started) > ReadyTimeout) throw new TimeoutException($"no READY=1 after {ReadyTimeout.TotalSeconds:N0} s");
            int n;
            try
            {
                n = notify.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                if (process.HasExited) throw new InvalidOperationException($"exited before READY; see {lab.Directory}/{name}.log");
                continue;
            }
            if (!Encoding.UTF8.GetString(buffer, 0, n).Split('\n').Contains("READY=1")) continue;
            double ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LoopbackPorts.WaitAnswering(process, bind, "/small", TimeSpan.FromSeconds(10), $"{lab.Directory}/{name}.log");
            return ms;
        }
    }
}
