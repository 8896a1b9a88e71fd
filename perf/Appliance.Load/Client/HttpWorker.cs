using System.Diagnostics;
using System.Net.Sockets;
using Appliance.Load.Origins;

namespace Appliance.Load.Client;

/// <summary>
/// One connection's worth of load: sends the plans' requests in turn (random plan when there are several),
/// checks every answer completely (status, origin identity, Content-Length, every body byte), records
/// latency and counts what went wrong by kind. Runs until the deadline or its request cap.
/// </summary>
internal sealed class HttpWorker(HttpLoad load, int index, long start, WorkerStats stats)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly Random _random = new(index + 1);
    private Socket? _socket;

    public void Run()
    {
        long frequency = Stopwatch.Frequency;
        long end = start + (long)(load.Duration.TotalSeconds * frequency);
        long interval = load.OpenModel ? frequency * load.Connections / load.Rate : 0;
        long due = start + interval * index / load.Connections;
        if (load.OpenModel) Pacer.UseFineTimerSlack();
        Pacer.WaitUntil(start);
        try
        {
            for (long n = 0; n < HttpLoad.MaxRequestsPerWorker; n++)
            {
                long sent;
                if (load.OpenModel)
                {
                    if (due >= end) break;
                    Pacer.WaitUntil(due);
                    sent = due;
                    due += interval;
                }
                else
                {
                    sent = Stopwatch.GetTimestamp();
                    if (sent >= end) break;
                }
                RequestPlan plan = load.Plans.Count == 1 ? load.Plans[0] : load.Plans[_random.Next(load.Plans.Count)];
                if (Exchange(plan, retryIfStale: true))
                {
                    stats.Record((Stopwatch.GetTimestamp() - sent) * 1_000_000 / frequency);
                }
                else if (!load.OpenModel && _socket is null)
                {
                    Thread.Sleep(1); // a refused connect returns at once: do not spin the CPU the proxy needs
                }
            }
        }
        finally
        {
            Drop();
        }
    }

    /// <summary>One request and its answer; true when the answer was accepted (200 verified or an accepted status).</summary>
    private bool Exchange(RequestPlan plan, bool retryIfStale)
    {
        bool reused = _socket is not null;
        _socket ??= Connector.Connect(load.Target, load.Timeout, stats);
        if (_socket is null) return false;
        int filled = 0; // written by ReadHead as bytes arrive, so a failure knows whether any byte came
        try
        {
            _socket.Send(plan.Request);
            int headLength = HttpWire.ReadHead(_socket, _buffer, out filled);
            if (headLength == 0)
            {
                Drop();
                return reused && retryIfStale ? RetryStale(plan) : Fail(ErrorKind.EmptyResponse);
            }
            if (headLength < 0) return Fail(filled == _buffer.Length ? ErrorKind.BadHead : ErrorKind.Truncated);
            ReadOnlySpan<byte> head = _buffer.AsSpan(0, headLength);
            int status = HttpWire.Status(head);
            long length = HttpWire.ContentLength(head);
            bool closes = HttpWire.Closes(head);
            if (status < 0) return Fail(ErrorKind.BadHead);
            stats.Status(status);
            ErrorKind? problem;
            if (status == 200)
            {
                int origin = plan.IndexOf(HttpWire.Field(head, "x-backend"u8));
                byte[]? expected = origin < 0 ? null : plan.Bulk ? OriginBodies.Bulk : plan.SmallBodies[origin];
                problem = origin < 0 ? ErrorKind.WrongBackend
                    : length != expected!.Length ? ErrorKind.BadBody
                    : ReadBody(headLength, filled, length, expected);
            }
            else
            {
                problem = length < 0 && !closes ? ErrorKind.BadHead : ReadBody(headLength, filled, length, null);
                problem ??= load.AcceptedStatuses.Contains(status) ? null : ErrorKind.BadStatus;
            }
            if (problem is { } kind) return Fail(kind);
            if (closes || plan.Close)
            {
                if (closes && !plan.Close) stats.ServerCloses++;
                Drop();
            }
            if (status == 200) stats.Ok++;
            return true;
        }
        catch (SocketException e)
        {
            // A reused keep-alive connection the server closed while our request was on its way: the close
            // comes as an RST when the request bytes were unread. Same race as the EOF above, same retry.
            if (reused && retryIfStale && filled == 0 && Connector.Classify(e) == ErrorKind.Reset)
            {
                Drop();
                return RetryStale(plan);
            }
            return Fail(Connector.Classify(e));
        }
    }

    /// <summary>
    /// The server closed a reused idle keep-alive connection before any byte of the answer: send again on a
    /// new connection, once, as HTTP clients do for idempotent requests (RFC 9112 section 9.3.1); counted.
    /// </summary>
    private bool RetryStale(RequestPlan plan)
    {
        stats.StaleRetries++;
        return Exchange(plan, retryIfStale: false);
    }

    /// <summary>
    /// Receives the rest of a body of <paramref name="length"/> bytes (-1: until the peer closes), comparing
    /// each byte with <paramref name="expected"/> when given; null when all is well.
    /// </summary>
    private ErrorKind? ReadBody(int headLength, int filled, long length, byte[]? expected)
    {
        long offset = filled - headLength;
        if (length >= 0 && offset > length) return ErrorKind.BadBody; // more than announced
        if (expected is not null && !_buffer.AsSpan(headLength, (int)offset).SequenceEqual(expected.AsSpan(0, (int)offset))) return ErrorKind.BadBody;
        while (length < 0 || offset < length)
        {
            int want = length < 0 ? _buffer.Length : (int)Math.Min(_buffer.Length, length - offset);
            int n = _socket!.Receive(_buffer, 0, want, SocketFlags.None);
            if (n == 0) return length < 0 ? null : ErrorKind.Truncated;
            if (expected is not null && !_buffer.AsSpan(0, n).SequenceEqual(expected.AsSpan((int)offset, n))) return ErrorKind.BadBody;
            offset += n;
        }
        if (expected is not null) stats.VerifiedBytes += offset;
        return null;
    }

    private bool Fail(ErrorKind kind)
    {
        stats.Error(kind);
        Drop();
        return false;
    }

    private void Drop()
    {
        _socket?.Dispose();
        _socket = null;
    }
}
