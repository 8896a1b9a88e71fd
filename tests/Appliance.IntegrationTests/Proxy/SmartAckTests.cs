namespace Appliance.IntegrationTests.Proxy;

/// <summary>
/// <c>option tcp-smart-accept</c> (on by default for HTTP frontends, as HAProxy) and <c>option tcp-smart-connect</c>,
/// checked on the wire: with them the kernel sends no ACK on its own for the request (client side) or for the
/// handshake (server side) — the next data segment carries it; without them it does. Packets are captured on
/// loopback with a packet socket.
/// </summary>
public sealed class SmartAckTests(ITestOutputHelper output)
{
    private const int Connections = 6;

    [Fact]
    public void HttpFrontendsLetTheAnswerCarryTheAckOfTheRequest()
    {
        int withSmartAccept = AcksBeforeData(frontendLine: "", backendLine: "", onClientSide: true);
        int without = AcksBeforeData(frontendLine: "no option tcp-smart-accept", backendLine: "", onClientSide: true);

        Assert.Equal(0, withSmartAccept);
        // Without the option the kernel acknowledges each request at once (quick-ACK mode of a new connection).
        Assert.True(without >= Connections / 2, $"only {without} of {Connections} requests were acknowledged on their own without tcp-smart-accept");
    }

    [Fact]
    public void TcpSmartConnectSendsTheRequestWithTheLastAckOfTheHandshake()
    {
        int without = AcksBeforeData(frontendLine: "", backendLine: "", onClientSide: false);
        int withSmartConnect = AcksBeforeData(frontendLine: "", backendLine: "option tcp-smart-connect", onClientSide: false);

        Assert.True(without >= Connections, $"{without} lone handshake ACKs for {Connections} server connections without tcp-smart-connect");
        Assert.Equal(0, withSmartConnect);
    }

    /// <summary>
    /// Sends <see cref="Connections"/> requests, one connection each (Connection: close, so every request also
    /// opens a server connection), and counts the pure ACKs the appliance sent on one side before its first
    /// data segment there: to the client between its request and the answer, or to the server between the
    /// SYN-ACK and the request.
    /// </summary>
    private int AcksBeforeData(string frontendLine, string backendLine, bool onClientSide)
    {
        using var scratch = new ScratchDirectory();
        using var backend = BackendProcess.Start(BackendMode.Http, "app1");
        int port = FreePort.Next();
        string config = $"""
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s

            frontend fe
                bind 127.0.0.1:{port}
                {frontendLine}
                default_backend be

            backend be
                {backendLine}
                server s1 {backend.Address}
            """;
        using var proxy = ApplianceProcess.Start(scratch, config, output);
        // Warm up first (the test origin's first answer includes its JIT): an answer slower than the kernel's
        // delayed-ACK timer (40 ms) lets the kernel ACK on its own, which is right but not what is measured.
        Assert.Equal(200, HttpExchange.Send(port, "GET /x HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n").Status);
        int watched = onClientSide ? port : backend.Port;
        // The appliance's side: the listening port on the client side; its ephemeral port on the server side.
        bool FromAppliance(TcpSegment s) => onClientSide ? s.SourcePort == watched : s.DestinationPort == watched;
        // Flows whose SYN was not captured began before the capture (the warm-up's last segments): not ours.
        List<IGrouping<int, TcpSegment>> Flows(IReadOnlyList<TcpSegment> all) =>
            all.GroupBy(s => s.SourcePort == watched ? s.DestinationPort : s.SourcePort)
               .Where(flow => flow.Any(s => s.IsSyn && !s.IsSynAck)).ToList();
        IReadOnlyList<TcpSegment> segments;
        using (var capture = new LoopbackCapture(watched))
        {
            for (int i = 0; i < Connections; i++)
            {
                HttpResponse response = HttpExchange.Send(port, "GET /x HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
                Assert.Equal(200, response.Status);
            }
            // The appliance's data segments were sent before the answers arrived; the capture thread may lag.
            Eventually.True(
                () => Flows(capture.Segments()).Count(flow => flow.Any(s => FromAppliance(s) && s.PayloadLength > 0)) == Connections,
                TimeSpan.FromSeconds(5), $"the capture holds the appliance's data segments of all {Connections} connections");
            segments = capture.Segments();
        }

        int acks = 0;
        int flows = 0;
        foreach (var flow in Flows(segments))
        {
            var ordered = flow.ToList();
            int start = onClientSide
                ? ordered.FindIndex(s => !FromAppliance(s) && s.PayloadLength > 0)
                : ordered.FindIndex(s => !FromAppliance(s) && s.IsSynAck);
            int end = ordered.FindIndex(s => FromAppliance(s) && s.PayloadLength > 0);
            output.WriteLine($"{flow.Key}: {string.Join(' ', ordered)}");
            Assert.True(start >= 0 && end > start, $"flow {flow.Key} lacks the expected segments: {string.Join(' ', ordered)}");
            flows++;
            acks += ordered.Skip(start + 1).Take(end - start - 1).Count(s => FromAppliance(s) && s.IsPureAck);
        }
        Assert.Equal(Connections, flows);
        return acks;
    }
}
