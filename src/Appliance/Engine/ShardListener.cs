using Appliance.Forwarding;

namespace Appliance.Engine;

/// <summary>One of a shard's listening sockets (its own SO_REUSEPORT socket for a bind).</summary>
internal sealed class ShardListener
{
    public ShardListener(int fd, Frontend frontend, bool acceptProxy)
    {
        Fd = fd;
        Frontend = frontend;
        AcceptProxy = acceptProxy;
    }

    public int Fd { get; }

    public Frontend Frontend { get; }

    /// <summary><c>bind … accept-proxy</c>: each connection starts with a PROXY protocol header.</summary>
    public bool AcceptProxy { get; }

    /// <summary>Removed from epoll because a connection limit was reached.</summary>
    public bool Paused { get; set; }
}
