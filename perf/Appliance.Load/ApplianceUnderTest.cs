using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Load;

/// <summary>
/// One <c>appliance run</c> master with its own config file, master CLI socket and log in the run
/// directory; ready when <c>GET /</c> through <see cref="ProbeEndpoint"/> answers (its worker serves).
/// Stopped by PID with SIGTERM (then SIGKILL) on dispose.
/// </summary>
internal sealed class ApplianceUnderTest : IDisposable
{
    private static readonly TimeSpan ReloadTimeout = TimeSpan.FromSeconds(60);

    private readonly string _binary;
    private readonly ManagedProcess _process;

    private ApplianceUnderTest(string binary, string name, string directory, ManagedProcess process)
    {
        _binary = binary;
        Name = name;
        MasterSocket = Path.Combine(directory, name + ".master.sock");
        LogPath = Path.Combine(directory, name + ".log");
        _process = process;
    }

    public string Name { get; }

    public string MasterSocket { get; }

    public string LogPath { get; }

    public ManagedProcess Process => _process;

    /// <summary>Writes <paramref name="config"/> to NAME.cfg, starts the master and waits until it answers.</summary>
    public static ApplianceUnderTest Start(string binary, string directory, string name, string config, IPEndPoint probeEndpoint, bool probeIsHttp)
    {
        string configPath = Path.Combine(directory, name + ".cfg");
        File.WriteAllText(configPath, config);
        string socket = Path.Combine(directory, name + ".master.sock");
        var process = ManagedProcess.Start(name, cpu: null, Path.Combine(directory, name + ".log"), binary, ["run", "-f", configPath, "-S", socket]);
        var appliance = new ApplianceUnderTest(binary, name, directory, process);
        try
        {
            if (probeIsHttp) LoopbackPorts.WaitAnswering(process, probeEndpoint, "/", TimeSpan.FromSeconds(30), appliance.LogPath);
            else WaitListening(process, probeEndpoint, appliance.LogPath);
        }
        catch
        {
            appliance.Dispose();
            throw;
        }
        return appliance;
    }

    /// <summary>Runs <c>appliance reload -S SOCKET</c>; null when it succeeded, else what it said.</summary>
    public string? Reload()
    {
        var info = new ProcessStartInfo(_binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["reload", "-S", MasterSocket]) info.ArgumentList.Add(a);
        using var reload = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("cannot start appliance reload");
        Task<string> output = reload.StandardOutput.ReadToEndAsync();
        Task<string> errors = reload.StandardError.ReadToEndAsync();
        if (!reload.WaitForExit(ReloadTimeout))
        {
            reload.Kill();
            return $"appliance reload did not finish in {ReloadTimeout.TotalSeconds:N0} s";
        }
        reload.WaitForExit();
        return reload.ExitCode == 0 ? null : $"appliance reload exited {reload.ExitCode}: {(output.Result + errors.Result).Trim()}";
    }

    /// <summary>TCP-mode frontends have no HTTP to ask: wait until a connection is accepted and not closed at once.</summary>
    private static void WaitListening(ManagedProcess process, IPEndPoint endpoint, string log)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited at start; see {log}");
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 2000 };
                socket.Connect(endpoint);
                socket.Send("ping\n"u8);
                socket.Shutdown(SocketShutdown.Send);
                var buffer = new byte[16];
                if (socket.Receive(buffer) > 0) return; // the echo came back: a worker forwards
            }
            catch (SocketException)
            {
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"{process.Name} does not forward on {endpoint} after 30 s; see {log}");
    }

    public void Dispose() => _process.Dispose();
}
