using System.Net.Sockets;

namespace Appliance.IntegrationTests.Harness;

/// <summary>One-request exchanges and the "answered, then closed" checks the HTTP tests share.</summary>
public static class HttpExchange
{
    /// <summary>Opens a connection, sends <paramref name="request"/>, returns the final response (interim ones skipped).</summary>
    public static HttpResponse Send(int port, string request, bool headRequest = false)
    {
        using var connection = LoopbackConnection.Open(port);
        connection.SendText(request);
        return HttpResponse.ReadFinal(connection, headRequest);
    }

    /// <summary>The <c>X-Backend</c> of a fresh-connection GET (Connection: close), or null if the answer has none.</summary>
    public static string? BackendOf(int port, string path, string host = HttpRequests.DefaultHost, params string[] fields) =>
        Send(port, HttpRequests.Get(path, close: true, host, fields)).Header("X-Backend");

    /// <summary>
    /// Asserts that the peer closes the connection (FIN, or RST when it closed with our bytes unread) within the
    /// connection's receive timeout and sends nothing more before that.
    /// </summary>
    public static void AssertClosedByPeer(LoopbackConnection connection, string context)
    {
        CloseOutcome outcome;
        long trailing;
        try
        {
            outcome = connection.ReadUntilClosed(out trailing);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            Assert.Fail($"connection still open after {connection.Socket.ReceiveTimeout} ms: {context}");
            return;
        }

        Assert.True(trailing == 0, $"{trailing} unexpected bytes before the close ({outcome}): {context}");
    }

    /// <summary>
    /// Reads what arrives until the peer closes (FIN or RST) or <paramref name="limit"/> passes; returns the
    /// bytes and whether the close was seen.
    /// </summary>
    public static (byte[] Bytes, bool Closed) ReadUntilClosed(LoopbackConnection connection, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (connection.BufferedCount == 0
                && (remaining <= TimeSpan.Zero || !connection.Socket.Poll(remaining, SelectMode.SelectRead)))
            {
                return (received.ToArray(), false);
            }

            int count;
            try
            {
                count = connection.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                return (received.ToArray(), true);
            }

            if (count == 0)
            {
                return (received.ToArray(), true);
            }

            received.Write(buffer, 0, count);
        }
    }

    /// <summary>
    /// After <paramref name="response"/>: if it says <c>Connection: close</c>, the peer must close; otherwise the
    /// connection must still work, which <paramref name="followUp"/> proves by getting an answer on it.
    /// Returns the follow-up's answer, or null when the connection closed.
    /// </summary>
    public static HttpResponse? AssertConnectionFieldHonoured(LoopbackConnection connection, HttpResponse response, string followUp, string context)
    {
        if (response.HasConnectionOption("close"))
        {
            AssertClosedByPeer(connection, $"{context} (the answer said Connection: close)");
            return null;
        }

        connection.SendText(followUp);
        try
        {
            return HttpResponse.ReadFinal(connection);
        }
        catch (Exception e) when (e is EndOfStreamException or SocketException)
        {
            Assert.Fail($"{context}: the answer did not say Connection: close, but the connection did not serve the next request: {e.Message}");
            return null;
        }
    }
}
