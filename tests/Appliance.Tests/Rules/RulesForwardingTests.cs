using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.Engine;
using Appliance.Tests.Config;
using Appliance.Tests.Engine;

namespace Appliance.Tests.Rules;

/// <summary>
/// The rules inside the running engine (in-process worker, loopback server, ephemeral ports): the
/// HTTP session applies request and response edits, answers deny/return/redirect itself, and sends
/// errorfiles for its own errors.
/// </summary>
public sealed class RulesForwardingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rules-forwarding").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Rules_edit_forwarded_requests_and_responses_and_answer_themselves()
    {
        using var server = new HeadEchoServer();
        string sorry = Path.Combine(_dir, "503.http");
        File.WriteAllText(sorry, "HTTP/1.1 503 Sorry\r\nContent-Length: 5\r\nConnection: close\r\n\r\nsorry");
        int port = TcpForwardingTests.FreePort();
        using RunningProxy proxy = Start($$"""
            global
             nbthread 1
            defaults
             mode http
             timeout connect 1s
             timeout client 10s
             timeout server 10s
            frontend f
             bind 127.0.0.1:{{port}}
             errorfile 503 {{sorry}}
             http-request deny if { path /admin }
             http-request redirect scheme https code 301 if { path_beg /secure }
             http-request return status 200 content-type text/plain string pong if { path /ping }
             http-request set-header X-Client %[src]
             http-request del-header X-Secret
             http-response set-header X-Frontend 1
             use_backend nowhere if { path /down }
             default_backend app
            backend app
             http-request set-path /app%[path]
             http-response del-header Server
             server s 127.0.0.1:{{server.Port}}
            backend nowhere
             retries 0
             server s 127.0.0.1:{{TcpForwardingTests.FreePort()}}
            """);

        string forwarded = await Exchange(port, "GET /x?y HTTP/1.1\r\nHost: h\r\nX-Secret: 1\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", forwarded);
        Assert.DoesNotContain("Server:", forwarded);
        Assert.Contains("\r\nX-Frontend: 1\r\n", forwarded);
        // The client's Connection field is hop-by-hop: the session does not forward it.
        Assert.EndsWith("\r\n\r\nGET /app/x?y HTTP/1.1\r\nHost: h\r\nX-Client: 127.0.0.1\r\n\r\n", forwarded);

        string denied = await Exchange(port, "GET /admin HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", denied);
        Assert.Contains("\r\nconnection: close\r\n", denied);

        // Answered by the proxy on a kept connection (HAProxy 2.2 on): no connection: close, and the
        // next request on the same connection is served; closing asked for, the answer says it.
        const string pong = "HTTP/1.1 200 OK\r\ncontent-length: 4\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\npong";
        const string lastPing = "GET /ping HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
        Assert.Equal("HTTP/1.1 301 Moved Permanently\r\ncontent-length: 0\r\nlocation: https://h/secure/a\r\n\r\n" + pong,
            await Exchange(port, "GET /secure/a HTTP/1.1\r\nHost: h\r\n\r\n" + lastPing));
        Assert.Equal("HTTP/1.1 200 OK\r\ncontent-length: 4\r\ncontent-type: text/plain\r\n\r\npong" + pong,
            await Exchange(port, "GET /ping HTTP/1.1\r\nHost: h\r\n\r\n" + lastPing));
        // An errorfile's own Connection field is replaced the same way.
        Assert.Equal("HTTP/1.1 503 Sorry\r\nContent-Length: 5\r\n\r\nsorry" + pong,
            await Exchange(port, "GET /down HTTP/1.1\r\nHost: h\r\n\r\n" + lastPing));
        Assert.Equal("HTTP/1.1 503 Sorry\r\nContent-Length: 5\r\nConnection: close\r\n\r\nsorry",
            await Exchange(port, "GET /down HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"));
    }

    private static RunningProxy Start(string text)
    {
        var config = ConfigTestSupport.LoadValid(text);
        var diagnostics = new List<Appliance.Config.ConfigDiagnostic>();
        CompiledConfig? compiled = CompiledConfig.Compile(config, diagnostics);
        Assert.True(compiled is not null, string.Join("\n", diagnostics));
        RunningProxy? proxy = RunningProxy.Start(compiled!, new Appliance.Logging.StderrEventLog(TextWriter.Null), out string? error);
        Assert.True(proxy is not null, error);
        return proxy!;
    }

    /// <summary>Sends one request and reads until the proxy closes (every exchange here ends with a close).</summary>
    private static async Task<string> Exchange(int port, string request)
    {
        using Socket client = await TcpForwardingTests.Connect(port);
        await client.SendAsync(Encoding.ASCII.GetBytes(request));
        return await TcpForwardingTests.ReceiveToEnd(client);
    }
}
