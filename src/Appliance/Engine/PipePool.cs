using Appliance.Native;

namespace Appliance.Engine;

/// <summary>
/// A shard's pipes for splice. A pipe is rented only while bytes are in flight in one direction and
/// returned as soon as it is empty, so idle connections hold no pipe. At most <see cref="_limit"/>
/// pipes exist at once (each costs two descriptors); a direction that finds none waits in line and is
/// resumed by <see cref="ResumeWaiters"/> when one comes back. Owned by one shard thread.
/// </summary>
internal sealed class PipePool : IDisposable
{
    private readonly Stack<Pipe> _idle = new();
    private readonly Queue<IPipeWaiter> _waiters = new();
    private readonly int _limit;
    private readonly int _maxIdle;
    private int _live;
    private int _lowestIdleSinceTrim;

    public PipePool(int limit, int maxIdle)
    {
        _limit = Math.Max(1, limit);
        _maxIdle = maxIdle;
    }

    public int Live => _live;

    /// <summary>Gets an empty pipe, or false when the limit is reached or pipe2 failed.</summary>
    public bool TryRent(out Pipe pipe)
    {
        if (_idle.TryPop(out pipe))
        {
            if (_idle.Count < _lowestIdleSinceTrim) _lowestIdleSinceTrim = _idle.Count;
            return true;
        }
        if (_live < _limit && Pipe.Create(out pipe) == 0)
        {
            _live++;
            return true;
        }
        pipe = default;
        return false;
    }

    /// <summary>Asks to be resumed when a pipe is returned.</summary>
    public void Wait(IPipeWaiter waiter) => _waiters.Enqueue(waiter);

    /// <summary>Returns a pipe; <paramref name="empty"/> false means it still holds bytes and is destroyed.</summary>
    public void Return(Pipe pipe, bool empty)
    {
        if (empty && _idle.Count < _maxIdle)
        {
            _idle.Push(pipe);
        }
        else
        {
            pipe.Close();
            _live--;
        }
    }

    /// <summary>
    /// Resumes waiting directions while pipes are available. Called by the shard loop between event
    /// batches, never from inside a session, so a session is not re-entered while it runs.
    /// </summary>
    public void ResumeWaiters()
    {
        while (_waiters.Count > 0 && (_idle.Count > 0 || _live < _limit))
        {
            _waiters.Dequeue().ResumeWithPipe();
        }
    }

    /// <summary>
    /// Closes the idle pipes that stayed unused since the previous call: the pool follows demand and
    /// gives descriptors back after a burst. Called by the shard about once a second.
    /// </summary>
    public void Trim()
    {
        for (int i = 0; i < _lowestIdleSinceTrim && _idle.TryPop(out Pipe pipe); i++)
        {
            pipe.Close();
            _live--;
        }
        _lowestIdleSinceTrim = _idle.Count;
    }

    public void Dispose()
    {
        while (_idle.TryPop(out Pipe pipe))
        {
            pipe.Close();
            _live--;
        }
    }
}
