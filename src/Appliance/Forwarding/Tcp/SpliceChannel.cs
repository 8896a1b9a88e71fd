using Appliance.Engine;
using Appliance.Native;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Forwarding.Tcp;

/// <summary>
/// One direction of a TCP session: source socket → pipe → target socket with splice(2), so payload
/// bytes never enter user space. Readiness is tracked from edge-triggered epoll events: a flag is set
/// by an event and cleared only when a call returns EAGAIN.
/// <para>
/// A subtle point: splice into a pipe returns EAGAIN both when the socket is empty and when the pipe
/// is out of slots (a pipe holds 16 buffers, and small segments can fill them with far less than its
/// byte capacity). So the source is considered drained only when EAGAIN comes with an empty pipe;
/// otherwise the pipe is flushed to the target first and the read retried.
/// </para>
/// Used only on its session's shard thread.
/// </summary>
internal sealed class SpliceChannel : IPipeWaiter
{
    /// <summary>Bytes asked per splice call: the default pipe capacity (16 pages).</summary>
    private const int ChunkBytes = 64 * 1024;

    private readonly TcpSession _owner;
    private Pipe _pipe;
    private bool _hasPipe;
    private int _inPipe;

    public SpliceChannel(TcpSession owner) => _owner = owner;

    public int SourceFd { get; private set; } = -1;

    public int TargetFd { get; private set; } = -1;

    public bool SourceReadable { get; set; }

    public bool TargetWritable { get; set; }

    /// <summary>The source sent FIN (splice returned 0).</summary>
    public bool SourceEnded { get; private set; }

    /// <summary>The FIN was passed on with shutdown(SHUT_WR).</summary>
    public bool TargetShut { get; private set; }

    /// <summary>Bytes delivered to the target.</summary>
    public long Forwarded { get; private set; }

    /// <summary>errno of the failure reported by the last Pump.</summary>
    public int Error { get; private set; }

    /// <summary>Bytes held in the pipe (read from the source, not yet written to the target).</summary>
    public int Pending => _inPipe;

    private bool WaitingForPipe { get; set; }

    public void Attach(int sourceFd, int targetFd)
    {
        SourceFd = sourceFd;
        TargetFd = targetFd;
    }

    /// <summary>Moves as many bytes as the sockets allow right now.</summary>
    public PumpResult Pump(PipePool pipes, ref long splicedBytes)
    {
        PumpResult result = PumpResult.None;
        while (true)
        {
            bool progressed = false;
            if (SourceReadable && !SourceEnded && _inPipe < ChunkBytes)
            {
                if (!_hasPipe && !TryRentPipe(pipes)) break;
                nint n = Splice.Move(SourceFd, _pipe.WriteFd, ChunkBytes - _inPipe);
                if (n > 0)
                {
                    _inPipe += (int)n;
                    progressed = true;
                    result |= PumpResult.SourceActivity;
                }
                else if (n == 0)
                {
                    SourceEnded = true;
                    progressed = true;
                    result |= PumpResult.SourceActivity;
                }
                else if (n == -Errno.EAGAIN)
                {
                    if (_inPipe == 0) SourceReadable = false;
                }
                else if (n != -Errno.EINTR)
                {
                    Error = (int)-n;
                    return result | PumpResult.SourceFailed;
                }
            }

            if (_inPipe > 0 && TargetWritable)
            {
                nint n = Splice.Move(_pipe.ReadFd, TargetFd, _inPipe);
                if (n > 0)
                {
                    _inPipe -= (int)n;
                    Forwarded += n;
                    splicedBytes += n;
                    progressed = true;
                    result |= PumpResult.TargetActivity;
                }
                else if (n == -Errno.EAGAIN)
                {
                    TargetWritable = false;
                }
                else if (n != -Errno.EINTR)
                {
                    Error = n == 0 ? Errno.EPIPE : (int)-n;
                    return result | PumpResult.TargetFailed;
                }
            }

            if (_inPipe == 0 && _hasPipe)
            {
                // Idle connections hold no pipe: give it back as soon as it is empty.
                pipes.Return(_pipe, empty: true);
                _hasPipe = false;
            }

            if (SourceEnded && _inPipe == 0 && !TargetShut)
            {
                TargetShut = true;
                Libc.Shutdown(TargetFd, SHUT_WR);
            }

            if (!progressed) break;
        }
        return result;
    }

    /// <summary>True once the FIN has been passed on and nothing is left in flight.</summary>
    public bool Finished => TargetShut;

    /// <summary>Releases the pipe (destroyed if bytes remain) and resets for the next session.</summary>
    public void Reset(PipePool pipes)
    {
        if (_hasPipe)
        {
            pipes.Return(_pipe, empty: _inPipe == 0);
            _hasPipe = false;
        }
        _inPipe = 0;
        SourceFd = TargetFd = -1;
        SourceReadable = TargetWritable = SourceEnded = TargetShut = WaitingForPipe = false;
        Forwarded = 0;
        Error = 0;
    }

    public bool ResumeWithPipe()
    {
        if (!WaitingForPipe) return false;
        WaitingForPipe = false;
        _owner.Resume();
        return true;
    }

    private bool TryRentPipe(PipePool pipes)
    {
        if (pipes.TryRent(out _pipe))
        {
            _hasPipe = true;
            return true;
        }
        if (!WaitingForPipe)
        {
            WaitingForPipe = true;
            pipes.Wait(this);
        }
        return false;
    }
}
