using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Config;
using Appliance.Demo;
using Appliance.Engine;
using Appliance.Logging;

namespace Appliance.Cli;

/// <summary>
/// <c>appliance demo</c>: the seed configuration with two built-in backends, so a newcomer sees
/// traffic routed at once. Ctrl-C stops everything.
/// </summary>
internal sealed class DemoCommand : ICommand
{
    private const int DefaultPort = 8081;

    public string Name => "demo";

    public string Summary => "run a demo: the proxy on :8081 in front of two built-in backends";

    public string Usage => """
        Usage: appliance demo [--port N] [--requests N]

        Starts two small HTTP backends (app1 on 127.0.0.1:9094, app2 on 127.0.0.1:9095,
        or free ports if those are taken), runs the proxy in front of them on
        127.0.0.1:8081 (or --port N, or a free port) with the seed configuration, prints
        that configuration and a curl command, sends --requests N requests itself
        (default 4) to show the round-robin, and serves until Ctrl-C.
        """;

    public int Execute(CommandArguments arguments)
    {
        List<string> ports = arguments.TakeValues("--port");
        List<string> requests = arguments.TakeValues("--requests");
        int port = DefaultPort, requestCount = 4;
        if (arguments.Remaining.Count > 0
            || (ports.Count > 0 && !int.TryParse(ports[^1], out port))
            || (requests.Count > 0 && !int.TryParse(requests[^1], out requestCount)))
        {
            return CommandLine.UsageError(this, "bad arguments", arguments);
        }

        using DemoBackend app1 = DemoBackend.Start("app1", 9094, Console.Out);
        using DemoBackend app2 = DemoBackend.Start("app2", 9095, Console.Out);
        int frontendPort = IsFree(port) ? port : FreePort();
        string text = $"""
            # Appliance demo: the seed configuration in front of two built-in backends.
            global
                nbthread 1    # one shard, so the rotation is easy to follow; omit for one shard per core

            frontend http_front
                bind 127.0.0.1:{frontendPort}
                default_backend web_back

            backend web_back
                balance roundrobin
                server app1 127.0.0.1:{app1.Port} check
                server app2 127.0.0.1:{app2.Port} check

            """;
        CompiledConfig? loaded = ConfigFileLoader.LoadText(text, "<demo>", Console.Error);
        if (loaded is null) return 1;

        Console.Out.WriteLine("Configuration:\n");
        Console.Out.WriteLine(text);
        return RunCommand.Serve(loaded, new StderrEventLog(), proxy =>
        {
            string url = $"http://127.0.0.1:{frontendPort}/";
            Console.Out.WriteLine($"Try it:  curl {url}\n");
            Console.Out.WriteLine($"Sending {requestCount} requests through the proxy:");
            for (int i = 0; i < requestCount; i++) Console.Out.WriteLine("  -> " + Get(frontendPort).Trim());
            Console.Out.WriteLine("\nServing until Ctrl-C.");
        });
    }

    private static bool IsFree(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>One GET through the proxy; returns the body (or the error, so the demo never hangs).</summary>
    private static string Get(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.ReceiveTimeout = 3000;
            socket.Connect(IPAddress.Loopback, port);
            socket.Send(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n"));
            var response = new StringBuilder();
            var buffer = new byte[4096];
            int n;
            while ((n = socket.Receive(buffer)) > 0) response.Append(Encoding.ASCII.GetString(buffer, 0, n));
            string text = response.ToString();
            int body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return body >= 0 ? text[(body + 4)..] : text;
        }
        catch (SocketException e)
        {
            return $"request failed: {e.Message}";
        }
    }
}
