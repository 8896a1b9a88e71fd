using System.Net.Sockets;
using System.Text;

namespace Appliance.Cli;

/// <summary>A client of the runtime API or master CLI: one command line, then the answer until the server closes.</summary>
internal static class ControlSocket
{
    public static string Send(string path, string command, TimeSpan timeout)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.SendTimeout = (int)timeout.TotalMilliseconds;
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        socket.Connect(new UnixDomainSocketEndPoint(path));
        byte[] request = Encoding.UTF8.GetBytes(command.TrimEnd('\n') + "\n");
        for (int sent = 0; sent < request.Length;) sent += socket.Send(request, sent, request.Length - sent, SocketFlags.None);
        using var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int received;
        while ((received = socket.Receive(buffer)) > 0) answer.Write(buffer, 0, received);
        return Encoding.UTF8.GetString(answer.GetBuffer(), 0, (int)answer.Length);
    }
}
