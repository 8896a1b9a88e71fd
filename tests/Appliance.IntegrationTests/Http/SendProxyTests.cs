using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// <c>server … send-proxy</c> / <c>send-proxy-v2</c>. Contract: each server connection starts with the PROXY
/// protocol header naming the client (its address and port, then the address it reached), in TCP and in HTTP
/// mode; an HTTP server connection then serves that client connection alone; health checks of such a server
/// start with the header too (v1 <c>UNKNOWN</c>, v2 <c>LOCAL</c>), so a server that requires it stays up. The
/// server here is the appliance itself, a second frontend with <c>accept-proxy</c>, in front of a recording origin.
/// </summary>
public sealed class SendProxyTests(ITestOutputHelper output)
{
    private static readonly IPAddress Client = IPAddress.Parse("127.0.0.5");

    [Theory]
    [InlineData("send-proxy")]
    [InlineData("send-proxy-v2")]
    public void TheServerLearnsTheClientAndChecksPassTheHeader(string option)
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        int inner = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, $$"""
            {{ConfigTemplates.Global(nbthread: 1)}}
            {{ConfigTemplates.HttpDefaults}}

            frontend outer
                bind 127.0.0.1:{{port}}
                default_backend to_inner

            backend to_inner
                option httpchk GET /health
                server inner 127.0.0.1:{{inner}} {{option}} check inter 100ms rise 1 fall 1

            frontend inner
                bind 127.0.0.1:{{inner}} accept-proxy
                option forwardfor
                default_backend app

            backend app
                server app1 {{origin.Address}}
            """, output);

        // Two clients, requests interleaved: a server connection names one client, so none may serve the other.
        using var first = LoopbackConnection.Open(port, source: Client);
        using var second = LoopbackConnection.Open(port, source: IPAddress.Parse("127.0.0.6"));
        foreach (var (connection, target) in (ReadOnlySpan<(LoopbackConnection, string)>)[(first, "/p/1"), (second, "/q/1"), (first, "/p/2"), (second, "/q/2")])
        {
            connection.SendText(HttpRequests.Get(target));
            Assert.Equal(200, HttpResponse.Read(connection).Status);
        }

        // The checks went through the inner frontend too: only a header it accepts lets them reach the origin.
        var record = Eventually.Value(origin.ReadRecord, r => r.Requests.Any(e => e.Target == "/health"), TimeSpan.FromSeconds(5),
            "a health check reached the origin through the accept-proxy frontend");
        var forwarded = record.Requests.Where(e => e.Target != "/health").ToList();
        Assert.Equal(["/p/1", "/q/1", "/p/2", "/q/2"], forwarded.Select(e => e.Target));
        Assert.Equal(["127.0.0.5", "127.0.0.6", "127.0.0.5", "127.0.0.6"], forwarded.Select(e => e.Header("X-Forwarded-For")));
        Assert.All(record.Requests.Where(e => e.Target == "/health"), e => Assert.Equal("127.0.0.1", e.Header("X-Forwarded-For")));
    }

    [Fact]
    public void InTcpModeTheHeaderComesBeforeTheClientsBytes()
    {
        using var scratch = new ScratchDirectory();
        using var sha = BackendProcess.Start(Appliance.Testing.BackendMode.Sha, "sha");
        int port = FreePort.Next();
        string config = ConfigTemplates.TcpPassThrough(port, sha, nbthread: 1).Replace($"server sha {sha.Address}", $"server sha {sha.Address} send-proxy");
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        using var connection = LoopbackConnection.Open(port, source: Client);
        int clientPort = ((IPEndPoint)connection.Socket.LocalEndPoint!).Port;

        byte[] payload = Encoding.ASCII.GetBytes("hello through a proxy line");
        connection.Send(payload);
        connection.ShutdownSend();

        byte[] expected = [.. Encoding.ASCII.GetBytes($"PROXY TCP4 127.0.0.5 127.0.0.1 {clientPort} {port}\r\n"), .. payload];
        Assert.Equal($"{expected.Length} {Convert.ToHexStringLower(SHA256.HashData(expected))}", connection.ReadLine());
    }
}
