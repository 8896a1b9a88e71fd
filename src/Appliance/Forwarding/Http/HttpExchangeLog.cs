using Appliance.Logging;

namespace Appliance.Forwarding.Http;

/// <summary>
/// What the access log needs to remember about the request in progress on one HTTP session: the
/// instants of its phases (shard clock, -1 = not reached), its status, the phase it ended in and a copy
/// of its request line (the head's buffer is reused before the line is written). Allocated once per
/// pooled session that serves a logging frontend; reset per request. Shard thread.
/// </summary>
internal sealed class HttpExchangeLog
{
    private readonly byte[] _requestLine = new byte[FrontendLog.MaxRequestLine];
    private int _requestLineLength;

    /// <summary>A request (or a failed attempt at one) is waiting to be logged.</summary>
    public bool Pending { get; private set; }

    public long RequestStart { get; private set; }
    public long HeadAt { get; private set; } = -1;
    public long QueuedAt { get; private set; } = -1;
    public long Waited { get; private set; } = -1;
    public long ConnectStart { get; private set; } = -1;
    public long ConnectedAt { get; private set; } = -1;
    public long ResponseAt { get; private set; } = -1;
    public int Status { get; private set; } = -1;

    /// <summary>The proxy answered the request itself (stats page, redirect, return): termination "LR".</summary>
    public bool Local { get; set; }

    /// <summary>The phase an error answer was decided in (the session is "answering" afterwards).</summary>
    public byte AnswerPhase { get; private set; }

    public ReadOnlySpan<byte> RequestLine => _requestLine.AsSpan(0, _requestLineLength);

    /// <summary>A complete request head: starts the record (<paramref name="line"/> is cut to the buffer).</summary>
    public void BeginRequest(long requestStart, long now, ReadOnlySpan<byte> line)
    {
        Clear();
        Pending = true;
        RequestStart = requestStart;
        HeadAt = now;
        _requestLineLength = Math.Min(line.Length, _requestLine.Length);
        line[.._requestLineLength].CopyTo(_requestLine);
    }

    /// <summary>Something arrived that is not a valid request head: logged as <c>&lt;BADREQ&gt;</c>.</summary>
    public void BeginBadRequest(long requestStart)
    {
        Clear();
        Pending = true;
        RequestStart = requestStart;
    }

    public void Queued(long now)
    {
        if (QueuedAt < 0) QueuedAt = now;
    }

    /// <summary>A connection attempt starts (or a pooled connection is taken); the first one ends the wait in queue.</summary>
    public void Connecting(long now)
    {
        if (ConnectStart >= 0) return;
        ConnectStart = now;
        Waited = QueuedAt >= 0 ? now - QueuedAt : 0;
    }

    public void Connected(long now) => ConnectedAt = now;

    public void ResponseHead(long now, int status)
    {
        ResponseAt = now;
        Status = status;
    }

    public void Answered(int status, byte phase)
    {
        Status = status;
        AnswerPhase = phase;
    }

    /// <summary>The request was logged.</summary>
    public void Done() => Pending = false;

    private void Clear()
    {
        HeadAt = QueuedAt = Waited = ConnectStart = ConnectedAt = ResponseAt = -1;
        Status = -1;
        Local = false;
        AnswerPhase = 0;
        _requestLineLength = 0;
    }
}
