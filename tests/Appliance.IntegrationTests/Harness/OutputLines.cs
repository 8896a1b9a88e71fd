namespace Appliance.IntegrationTests.Harness;

/// <summary>
/// The lines a child process wrote to one stream, collected by a reader thread and readable by the test at any
/// time. Thread-safe; <see cref="WaitFor"/> blocks until a matching line arrives, the stream ends, or a deadline.
/// </summary>
public sealed class OutputLines
{
    private readonly object _gate = new();
    private readonly List<string> _lines = [];
    private bool _completed;

    /// <summary>True once the stream reached EOF (normally: the process exited).</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    public IReadOnlyList<string> Snapshot()
    {
        lock (_gate)
        {
            return [.. _lines];
        }
    }

    public string Text => string.Join('\n', Snapshot());

    public bool Contains(string fragment) => Snapshot().Any(line => line.Contains(fragment, StringComparison.Ordinal));

    /// <summary>
    /// The first line (from the start of the stream) that satisfies <paramref name="predicate"/>, or null when the
    /// stream ended or <paramref name="timeout"/> passed without one.
    /// </summary>
    public string? WaitFor(Func<string, bool> predicate, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            int scanned = 0;
            while (true)
            {
                for (; scanned < _lines.Count; scanned++)
                {
                    if (predicate(_lines[scanned]))
                    {
                        return _lines[scanned];
                    }
                }

                var remaining = deadline - DateTime.UtcNow;
                if (_completed || remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                Monitor.Wait(_gate, remaining);
            }
        }
    }

    /// <summary>The last <paramref name="count"/> lines, for failure messages.</summary>
    public string Tail(int count)
    {
        var lines = Snapshot();
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Count - count)));
    }

    internal void Add(string line)
    {
        lock (_gate)
        {
            _lines.Add(line);
            Monitor.PulseAll(_gate);
        }
    }

    internal void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
