using System.Buffers.Binary;
using System.Net;

namespace Appliance.IntegrationTests.Http;

/// <summary>
/// <c>bind … accept-proxy</c> (PROXY protocol versions 1 and 2, as sent by a load balancer in front). Contract:
/// the header's source address is the client — the server sees it in <c>X-Forwarded-For</c> — and exactly the
/// header is consumed, in HTTP and in TCP mode, even when it arrives in pieces; a connection that starts with
/// anything else is closed and nothing of it reaches a server.
/// </summary>
public sealed class AcceptProxyTests(ITestOutputHelper output)
{
    private static string HttpConfig(int port, BackendProcess origin) => $"""
        {ConfigTemplates.Global(nbthread: 1)}
        {ConfigTemplates.HttpDefaults}

        frontend fe
            bind 127.0.0.1:{port} accept-proxy
            option forwardfor
            default_backend be

        backend be
            server app1 {origin.Address}
        """;

    private static byte[] Version2(IPAddress source, ushort sourcePort)
    {
        byte[] addresses = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? [.. source.GetAddressBytes(), 127, 0, 0, 1, 0, 0, 0, 80]
            : [.. source.GetAddressBytes(), .. IPAddress.IPv6Loopback.GetAddressBytes(), 0, 0, 0, 80];
        BinaryPrimitives.WriteUInt16BigEndian(addresses.AsSpan(addresses.Length - 4), sourcePort);
        byte family = source.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? (byte)0x11 : (byte)0x21;
        byte[] header = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, family, 0, (byte)addresses.Length];
        return [.. header, .. addresses];
    }

    [Fact]
    public void TheHeadersSourceIsTheClientTheServerIsToldAbout()
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(port, origin), output);

        using (var v1 = LoopbackConnection.Open(port))
        {
            // Two requests after one header: the header comes once per connection.
            v1.SendText("PROXY TCP4 203.0.113.7 127.0.0.1 51234 80\r\n" + HttpRequests.Get("/p/1") + HttpRequests.Get("/p/2", close: true));
            Assert.Equal(200, HttpResponse.Read(v1).Status);
            Assert.Equal(200, HttpResponse.Read(v1).Status);
        }
        using (var v2 = LoopbackConnection.Open(port))
        {
            v2.Send([.. Version2(IPAddress.Parse("2001:db8::7"), 443), .. System.Text.Encoding.ASCII.GetBytes(HttpRequests.Get("/p/3", close: true))]);
            Assert.Equal(200, HttpResponse.Read(v2).Status);
        }
        using (var split = LoopbackConnection.Open(port))
        {
            // The header in pieces, each its own segment (no delay on the socket). Whether the proxy reads them apart
            // depends on timing; that a partial header waits is pinned down in ProxyHeaderParserTests.
            split.SendText("PROXY TCP4 198.51.");
            split.SendText("100.9 127.0.0.1 1 80\r\n");
            split.SendText(HttpRequests.Get("/p/4", close: true));
            Assert.Equal(200, HttpResponse.Read(split).Status);
        }
        using (var local = LoopbackConnection.Open(port))
        {
            // UNKNOWN (a balancer's own check): the connection's own peer stays the client.
            local.SendText("PROXY UNKNOWN\r\n" + HttpRequests.Get("/p/5", close: true));
            Assert.Equal(200, HttpResponse.Read(local).Status);
        }

        var requests = origin.ReadRecord().Requests;
        Assert.Equal(["/p/1", "/p/2", "/p/3", "/p/4", "/p/5"], requests.Select(r => r.Target));
        Assert.Equal(["203.0.113.7", "203.0.113.7", "2001:db8::7", "198.51.100.9", "127.0.0.1"], requests.Select(r => r.Header("X-Forwarded-For")));
    }

    [Theory]
    [InlineData("GET /smuggled HTTP/1.1\r\nHost: appliance.test\r\n\r\n")]
    [InlineData("PROXY TCP4 1.2.3.4 1.2.3.5 1\r\nGET /smuggled HTTP/1.1\r\nHost: appliance.test\r\n\r\n")]
    public void AConnectionWithoutAValidHeaderIsClosedAndReachesNoServer(string text)
    {
        using var scratch = new ScratchDirectory();
        using var origin = BackendProcess.StartRecordingOrigin(scratch, "app1");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, HttpConfig(port, origin), output);

        using (var connection = LoopbackConnection.Open(port))
        {
            connection.SendText(text);
            connection.ReadUntilClosed(out long received);
            Assert.Equal(0, received);
        }
        using (var sentinel = LoopbackConnection.Open(port))
        {
            sentinel.SendText("PROXY UNKNOWN\r\n" + HttpRequests.Get("/sentinel", close: true));
            Assert.Equal(200, HttpResponse.Read(sentinel).Status);
        }
        Assert.Equal(["/sentinel"], origin.ReadRecord().Requests.Select(r => r.Target));
    }

    [Fact]
    public void InTcpModeOnlyTheHeaderIsConsumed()
    {
        using var scratch = new ScratchDirectory();
        using var echo = BackendProcess.Start(Appliance.Testing.BackendMode.Echo, "echo");
        int port = FreePort.Next();
        string config = ConfigTemplates.TcpPassThrough(port, echo, nbthread: 1).Replace($"bind 127.0.0.1:{port}", $"bind 127.0.0.1:{port} accept-proxy");
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        using var connection = LoopbackConnection.Open(port);

        connection.Send([.. Version2(IPAddress.Parse("192.0.2.44"), 9), .. "hello "u8]);
        connection.SendText("world\n");
        Assert.Equal("hello world", connection.ReadLine());
    }
}
