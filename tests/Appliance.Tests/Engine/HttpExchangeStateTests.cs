using System.Net.Sockets;
using System.Text;
using Appliance.Engine;
using Appliance.Tests.Config;
using Appliance.Tests.Rules;

namespace Appliance.Tests.Engine;

/// <summary>
/// An idle keep-alive HTTP connection holds no exchange state (parsed heads, edit arena, rule scratch):
/// it is rented when a request's first bytes arrive and returned when the exchange ends, so memory per
/// idle connection stays small (HAProxy keeps about 1 KiB per idle connection).
/// </summary>
public sealed class HttpExchangeStateTests
{
    [Fact]
    public async Task Idle_keep_alive_connections_hold_no_exchange_state()
    {
        using var server = new HeadEchoServer();
        int port = TcpForwardingTests.FreePort();
        using RunningProxy proxy = TcpForwardingTests.Start(ConfigTestSupport.LoadValid($"""
            global
             nbthread 1
            defaults
             mode http
             timeout connect 1s
             timeout client 10s
             timeout server 10s
             timeout http-keep-alive 10s
            frontend f
             bind 127.0.0.1:{port}
             http-request set-header X-Edited 1
             default_backend app
            backend app
             server s 127.0.0.1:{server.Port}
            """));

        var clients = new List<Socket>();
        try
        {
            // Connections that never send anything, and connections idle after one complete exchange.
            for (int i = 0; i < 5; i++) clients.Add(await TcpForwardingTests.Connect(port));
            for (int i = 0; i < 10; i++)
            {
                Socket client = await TcpForwardingTests.Connect(port);
                clients.Add(client);
                await client.SendAsync(Encoding.ASCII.GetBytes("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"));
                string response = await ReadResponse(client);
                Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
                Assert.Contains("X-Edited: 1", response);
            }
            await WaitFor(() => proxy.Worker.HttpExchangesInUse == 0, "idle connections still hold exchange state");

            // Half a request head: that connection, and only it, holds state until its exchange ends.
            Socket partial = clients[0];
            await partial.SendAsync(Encoding.ASCII.GetBytes("GET /b HTTP/1.1\r\nHo"));
            await WaitFor(() => proxy.Worker.HttpExchangesInUse == 1, "a request in progress has no exchange state");
            await partial.SendAsync(Encoding.ASCII.GetBytes("st: h\r\n\r\n"));
            Assert.StartsWith("HTTP/1.1 200 OK\r\n", await ReadResponse(partial));
            await WaitFor(() => proxy.Worker.HttpExchangesInUse == 0, "the state was not returned after the exchange");

            // A second request on an idle connection rents it again and is served the same way.
            await clients[5].SendAsync(Encoding.ASCII.GetBytes("GET /c HTTP/1.1\r\nHost: h\r\n\r\n"));
            Assert.Contains("GET /c HTTP/1.1", await ReadResponse(clients[5]));
        }
        finally
        {
            foreach (Socket client in clients) client.Dispose();
        }
    }

    private static async Task WaitFor(Func<bool> condition, string message)
    {
        for (int i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
        Assert.True(condition(), message);
    }

    /// <summary>Reads one response framed by Content-Length (the echo server always sends one).</summary>
    private static async Task<string> ReadResponse(Socket client)
    {
        var received = new StringBuilder();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            string text = received.ToString();
            int headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0)
            {
                int at = text.IndexOf("Content-Length: ", StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    int end = text.IndexOf("\r\n", at, StringComparison.Ordinal);
                    int length = int.Parse(text.AsSpan(at + 16, end - at - 16), System.Globalization.CultureInfo.InvariantCulture);
                    if (text.Length >= headEnd + 4 + length) return text;
                }
            }
            int n = await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0) return received.ToString();
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }
}
