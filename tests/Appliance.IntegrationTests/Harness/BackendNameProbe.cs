namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// One short connection to a port that leads to <c>name</c>-mode backends: read the announced name, close.
/// The basic measurement of every distribution test.
/// </summary>
public static class BackendNameProbe
{
    /// <summary>The name of the backend that answered; throws if the connection fails or closes first.</summary>
    public static string Fetch(int port)
    {
        using var connection = LoopbackConnection.Open(port);
        return connection.ReadLine() ?? throw new EndOfStreamException($"127.0.0.1:{port} closed before a name line");
    }

    /// <summary>Like <see cref="Fetch"/>, but a refused, reset or closed connection gives null.</summary>
    public static string? TryFetch(int port)
    {
        try
        {
            return Fetch(port);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or EndOfStreamException or TimeoutException)
        {
            return null;
        }
    }
}
