using System.Net;
using System.Net.Sockets;

namespace Appliance.Load.Client;

/// <summary>Blocking client sockets with bounded connect, send and receive, and errors sorted by kind.</summary>
internal static class Connector
{
    /// <summary>A connected socket, or null with the failure counted in <paramref name="stats"/>.</summary>
    public static Socket? Connect(IPEndPoint target, TimeSpan timeout, WorkerStats stats)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        stats.Connects++;
        try
        {
            // Socket.Connect has no timeout: a full accept queue drops SYNs and would retry for minutes.
            Task connecting = socket.ConnectAsync(target);
            if (connecting.Wait(timeout)) return socket;
            socket.Dispose();
            stats.Error(ErrorKind.ConnectTimeout);
        }
        catch (AggregateException e) when (e.InnerException is SocketException se)
        {
            socket.Dispose();
            stats.Error(se.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ErrorKind.ConnectRefused,
                SocketError.TimedOut => ErrorKind.ConnectTimeout,
                _ => ErrorKind.ConnectFailed,
            });
        }
        return null;
    }

    /// <summary>The kind of a send/receive failure.</summary>
    public static ErrorKind Classify(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.TimedOut or SocketError.WouldBlock => ErrorKind.Timeout,
        _ => ErrorKind.Reset,
    };
}
