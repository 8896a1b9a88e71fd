using System.Net.Sockets;
using System.Text;

namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// The runtime API on the <c>stats socket</c>, spoken the HAProxy way: connect, send one command line ending in
/// <c>\n</c>, read the answer until the server closes. No half-close is sent: the server ends the exchange.
/// </summary>
public sealed class RuntimeApiClient(string socketPath)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public string SocketPath { get; } = socketPath;

    public string Send(string command, TimeSpan? timeout = null)
    {
        int milliseconds = (int)(timeout ?? DefaultTimeout).TotalMilliseconds;
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.SendTimeout = milliseconds;
        socket.ReceiveTimeout = milliseconds;
        // A local Unix connect completes or fails at once; it never waits on the network.
        socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        var request = Encoding.ASCII.GetBytes(command + "\n");
        for (int sent = 0; sent < request.Length;)
        {
            sent += socket.Send(request, sent, request.Length - sent, SocketFlags.None);
        }

        using var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int received;
        while ((received = socket.Receive(buffer)) > 0)
        {
            answer.Write(buffer, 0, received);
        }

        return Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
    }

    public RuntimeInfo ShowInfo() => RuntimeInfo.Parse(Send("show info"));

    public RuntimeActivity ShowActivity() => RuntimeActivity.Parse(Send("show activity"));
}
