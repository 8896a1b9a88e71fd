using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Perf;

/// <summary>
/// Loopback ports for the processes a perf tool starts, and the wait until they answer.
/// Linked into CompareRunner and Appliance.Load (perf/Shared).
/// </summary>
internal sealed class LoopbackPorts
{
    private readonly Appliance.Testing.ListenPorts _ports = new();

    /// <summary>
    /// A loopback endpoint whose port is free right now, distinct from every one handed out before, and below
    /// the kernel's ephemeral range, so an origin bound to port 0 afterwards cannot take it.
    /// </summary>
    public IPEndPoint Next() => new(IPAddress.Loopback, _ports.Next());

    /// <summary>
    /// Polls <c>GET path</c> on <paramref name="endpoint"/> until it answers 200 (at most
    /// <paramref name="timeout"/>), failing early if <paramref name="process"/> died.
    /// </summary>
    public static void WaitAnswering(ManagedProcess process, IPEndPoint endpoint, string path, TimeSpan timeout, string logHint)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited at start; see {logHint}");
            try
            {
                using var response = client.GetAsync($"http://{endpoint}{path}").GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Thread.Sleep(50);
        }
        throw new TimeoutException($"{process.Name} not answering on {endpoint} after {timeout.TotalSeconds:N0} s; see {logHint}");
    }
}
