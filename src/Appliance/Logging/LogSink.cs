namespace Appliance.Logging;

/// <summary>A destination of access-log lines; used by the writer thread only.</summary>
internal abstract class LogSink : IDisposable
{
    /// <summary>Streams want one line per message (a newline); datagram targets do not.</summary>
    public abstract bool IsStream { get; }

    /// <summary>Sends one complete message (header included). False when it could not be sent.</summary>
    public abstract bool Send(ReadOnlySpan<byte> message);

    /// <summary>Pushes out what <see cref="Send"/> batched (end of a drain pass).</summary>
    public virtual void Flush()
    {
    }

    public virtual void Dispose()
    {
    }
}
