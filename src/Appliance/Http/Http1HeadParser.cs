using static Appliance.Http.HttpCharacterClasses;

namespace Appliance.Http;

/// <summary>
/// Strict HTTP/1.x head parser (RFC 9112 §2–§6) over one contiguous buffer: the connection's head
/// buffer, which may hold more after the head (body, pipelined requests). Anything that two
/// implementations could read differently is refused rather than repaired, since the proxy sits
/// between a client and a server that must agree on where each message ends.
/// <para>
/// Calls are resumable: after <see cref="HeadParseStatus.NeedMoreBytes"/>, call again with the same
/// head object and the same bytes plus what arrived (the span must start at the same message byte;
/// it may have moved in memory). Complete lines are not parsed again, and the search for the next line
/// end resumes where the previous call stopped, so a head trickled in one byte at a time costs linear
/// time. A fresh or <see cref="MessageHead.Reset"/> head starts over. No allocation.
/// </para>
/// </summary>
public static class Http1HeadParser
{
    private const int ResponseErrorStatus = 502;

    /// <summary>Parses (or continues parsing) a request head at the start of <paramref name="buffer"/>.</summary>
    public static HeadParseResult ParseRequest(ReadOnlySpan<byte> buffer, RequestHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (head.Stage == HeadParseStage.Complete) return HeadParseResult.Complete(head.HeadLength);
        if (head.Stage == HeadParseStage.Failed) return RequestFailure(head, head.Failure);

        HeadLimits limits = head.Limits;
        if (head.Stage == HeadParseStage.StartLine)
        {
            // RFC 9112 §2.2: a server SHOULD ignore empty lines (CRLF) received before the request-line.
            int start = head.LineStart;
            while (start + 1 < buffer.Length && buffer[start] == '\r' && buffer[start + 1] == '\n') start += 2;
            if (start >= limits.MaxHeadBytes) return RequestFailure(head, MessageError.HeadTooLarge);
            if (start != head.LineStart) head.LineStart = head.ScanFrom = start;

            int searchEnd = Math.Min(limits.MaxHeadBytes, start + limits.MaxRequestLineBytes);
            int lineFeed = FindLineFeed(buffer, head, searchEnd, out bool limitReached);
            if (lineFeed < 0)
            {
                return limitReached ? RequestFailure(head, MessageError.RequestLineTooLong) : HeadParseResult.NeedMoreBytes;
            }
            MessageError error = ParseRequestLine(buffer, start, lineFeed, head);
            if (error != MessageError.None) return RequestFailure(head, error);
            head.LineStart = head.ScanFrom = lineFeed + 1;
            head.Stage = HeadParseStage.Fields;
        }

        MessageError fieldError = ParseFields(buffer, head, out bool complete);
        if (fieldError != MessageError.None) return RequestFailure(head, fieldError);
        if (!complete) return HeadParseResult.NeedMoreBytes;

        MessageError semanticError = CheckRequestSemantics(head);
        if (semanticError != MessageError.None) return RequestFailure(head, semanticError);
        head.MarkComplete(head.LineStart);
        return HeadParseResult.Complete(head.HeadLength);
    }

    /// <summary>Parses (or continues parsing) a response head at the start of <paramref name="buffer"/>.</summary>
    public static HeadParseResult ParseResponse(ReadOnlySpan<byte> buffer, ResponseHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        if (head.Stage == HeadParseStage.Complete) return HeadParseResult.Complete(head.HeadLength);
        if (head.Stage == HeadParseStage.Failed) return ResponseFailure(head, head.Failure);

        if (head.Stage == HeadParseStage.StartLine)
        {
            int lineFeed = FindLineFeed(buffer, head, head.Limits.MaxHeadBytes, out bool limitReached);
            if (lineFeed < 0)
            {
                return limitReached ? ResponseFailure(head, MessageError.HeadTooLarge) : HeadParseResult.NeedMoreBytes;
            }
            MessageError error = ParseStatusLine(buffer, lineFeed, head);
            if (error != MessageError.None) return ResponseFailure(head, error);
            head.LineStart = head.ScanFrom = lineFeed + 1;
            head.Stage = HeadParseStage.Fields;
        }

        MessageError fieldError = ParseFields(buffer, head, out bool complete);
        if (fieldError != MessageError.None) return ResponseFailure(head, fieldError);
        if (!complete) return HeadParseResult.NeedMoreBytes;

        // Same smuggling rules as requests. A response whose final coding is not chunked is valid: its body
        // runs to the close (RFC 9112 §6.3), as does a 1.0 response with Transfer-Encoding (§6.1: framing
        // faulty, close after it); BodyFraming says so.
        MessageError semanticError = MessageError.None;
        if (head.HasTransferEncoding)
        {
            if (head.HasContentLength) semanticError = MessageError.ContentLengthWithTransferEncoding;
            else if (head.ChunkedCount > 1) semanticError = MessageError.ChunkedAppliedTwice;
        }
        if (semanticError != MessageError.None) return ResponseFailure(head, semanticError);
        head.MarkComplete(head.LineStart);
        return HeadParseResult.Complete(head.HeadLength);
    }

    /// <summary>
    /// Finds the next LF from where the previous search stopped, looking no further than
    /// <paramref name="searchEnd"/> (the limit for this line). Returns -1 when there is none yet;
    /// <paramref name="limitReached"/> then says whether more bytes could still help.
    /// </summary>
    private static int FindLineFeed(ReadOnlySpan<byte> buffer, MessageHead head, int searchEnd, out bool limitReached)
    {
        int end = Math.Min(buffer.Length, searchEnd);
        int from = head.ScanFrom;
        if (from < end)
        {
            int found = buffer[from..end].IndexOf((byte)'\n');
            if (found >= 0)
            {
                limitReached = false;
                return from + found;
            }
            head.ScanFrom = end;
        }
        limitReached = buffer.Length >= searchEnd;
        return -1;
    }

    /// <summary>Field lines up to and including the empty line that ends the head.</summary>
    private static MessageError ParseFields(ReadOnlySpan<byte> buffer, MessageHead head, out bool complete)
    {
        complete = false;
        while (true)
        {
            int lineStart = head.LineStart;
            int lineFeed = FindLineFeed(buffer, head, head.Limits.MaxHeadBytes, out bool limitReached);
            if (lineFeed < 0) return limitReached ? MessageError.HeadTooLarge : MessageError.None;
            // RFC 9112 §2.2 lets a recipient accept a bare LF; a proxy must not, since the next hop may not.
            if (lineFeed == lineStart || buffer[lineFeed - 1] != '\r') return MessageError.BareLineFeed;

            head.LineStart = head.ScanFrom = lineFeed + 1;
            int lineEnd = lineFeed - 1;
            if (lineEnd == lineStart)
            {
                complete = true;
                return MessageError.None;
            }
            MessageError error = ParseField(buffer, lineStart, lineEnd, head);
            if (error != MessageError.None) return error;
        }
    }

    /// <summary>One field line <c>name ":" OWS value OWS</c>, CRLF already stripped.</summary>
    private static MessageError ParseField(ReadOnlySpan<byte> buffer, int lineStart, int lineEnd, MessageHead head)
    {
        ReadOnlySpan<byte> line = buffer[lineStart..lineEnd];
        // RFC 9112 §5.2 / §2.2: obs-fold, or whitespace before the first field, is refused (the
        // alternative, unfolding, would change bytes we forward as-is).
        if (IsWhitespace(line[0])) return MessageError.ObsoleteLineFolding;

        int colon = line.IndexOf((byte)':');
        if (colon < 0) return MessageError.MissingColon;
        if (colon == 0) return MessageError.EmptyFieldName;
        ReadOnlySpan<byte> name = line[..colon];
        // RFC 9112 §5.1: whitespace between name and colon MUST be answered with 400.
        if (IsWhitespace(name[^1])) return MessageError.WhitespaceBeforeColon;
        if (name.ContainsAnyExcept(Token)) return MessageError.InvalidFieldName;

        int valueStart = colon + 1;
        int valueEnd = line.Length;
        while (valueStart < valueEnd && IsWhitespace(line[valueStart])) valueStart++;
        while (valueEnd > valueStart && IsWhitespace(line[valueEnd - 1])) valueEnd--;
        ReadOnlySpan<byte> value = line[valueStart..valueEnd];
        if (value.ContainsAnyExcept(FieldValue)) return MessageError.InvalidFieldValue;

        return head.AddField(
            name, new ByteRange(lineStart, colon),
            value, new ByteRange(lineStart + valueStart, valueEnd - valueStart));
    }

    /// <summary><c>method SP request-target SP HTTP-version</c>, exactly one SP each (RFC 9112 §3).</summary>
    private static MessageError ParseRequestLine(ReadOnlySpan<byte> buffer, int lineStart, int lineFeed, RequestHead head)
    {
        if (lineFeed == lineStart || buffer[lineFeed - 1] != '\r') return MessageError.BareLineFeed;
        ReadOnlySpan<byte> line = buffer[lineStart..(lineFeed - 1)];

        int methodEnd = line.IndexOf((byte)' ');
        if (methodEnd < 0) return line.ContainsAnyExcept(Token) ? MessageError.InvalidMethod : MessageError.MissingVersion;
        if (methodEnd == 0) return MessageError.InvalidMethod;
        ReadOnlySpan<byte> method = line[..methodEnd];
        if (method.ContainsAnyExcept(Token)) return MessageError.InvalidMethod;
        head.MethodToken = new ByteRange(lineStart, methodEnd);
        head.Method = IdentifyMethod(method);

        int targetStart = methodEnd + 1;
        int targetLength = line[targetStart..].IndexOf((byte)' ');
        if (targetLength < 0)
        {
            ReadOnlySpan<byte> rest = line[targetStart..];
            return rest.IsEmpty || rest.ContainsAnyExcept(RequestTarget) ? MessageError.InvalidRequestTarget : MessageError.MissingVersion;
        }
        if (targetLength == 0) return MessageError.InvalidRequestTarget;
        ReadOnlySpan<byte> target = line.Slice(targetStart, targetLength);
        if (target.ContainsAnyExcept(RequestTarget)) return MessageError.InvalidRequestTarget;

        MessageError versionError = ParseVersion(line[(targetStart + targetLength + 1)..], out Http1Version version);
        if (versionError != MessageError.None) return versionError;
        head.Version = version;

        return ParseTarget(target, lineStart + targetStart, head);
    }

    /// <summary>Exactly <c>HTTP/DIGIT.DIGIT</c> (case-sensitive); only 1.0 and 1.1 are served.</summary>
    private static MessageError ParseVersion(ReadOnlySpan<byte> text, out Http1Version version)
    {
        version = Http1Version.Http11;
        if (text.Length != 8 || !text.StartsWith("HTTP/"u8) || !IsDigit(text[5]) || text[6] != '.' || !IsDigit(text[7]))
        {
            return MessageError.InvalidVersion;
        }
        // A higher 1.x minor could be served as 1.1 (RFC 9110 §6.2), but none exists and an unknown one
        // on the wire is more likely garbage: refuse with 505 like HTTP/2.0 (a prior-knowledge h2 preface).
        if (text[5] != '1' || text[7] > '1') return MessageError.UnsupportedVersion;
        version = text[7] == '0' ? Http1Version.Http10 : Http1Version.Http11;
        return MessageError.None;
    }

    /// <summary>Sorts the target into its form (RFC 9112 §3.2) and records path, query and authority.</summary>
    private static MessageError ParseTarget(ReadOnlySpan<byte> target, int offset, RequestHead head)
    {
        head.Target = new ByteRange(offset, target.Length);

        if (head.Method == RequestMethod.Connect)
        {
            if (!IsAuthorityForm(target)) return MessageError.TargetFormMismatch;
            head.TargetForm = RequestTargetForm.Authority;
            head.Authority = head.Target;
            head.Path = new ByteRange(offset + target.Length, 0);
            return MessageError.None;
        }

        if (target.Length == 1 && target[0] == '*')
        {
            if (head.Method != RequestMethod.Options) return MessageError.TargetFormMismatch;
            head.TargetForm = RequestTargetForm.Asterisk;
            head.Path = new ByteRange(offset + 1, 0);
            return MessageError.None;
        }

        int pathStart;
        if (target[0] == '/')
        {
            head.TargetForm = RequestTargetForm.Origin;
            pathStart = 0;
        }
        else
        {
            int schemeEnd = AbsoluteSchemeLength(target);
            if (schemeEnd <= 0)
            {
                return IsAuthorityForm(target) ? MessageError.TargetFormMismatch : MessageError.InvalidRequestTarget;
            }
            int authorityStart = schemeEnd + 3;
            int authorityLength = target[authorityStart..].IndexOfAny((byte)'/', (byte)'?');
            if (authorityLength < 0) authorityLength = target.Length - authorityStart;
            ReadOnlySpan<byte> authority = target.Slice(authorityStart, authorityLength);
            // RFC 9110 §4.2.1/§4.2.4: an http(s) URI needs a host, and userinfo is treated as an error
            // (the Authority set has no '@').
            if (authority.IsEmpty || authority.ContainsAnyExcept(Authority)) return MessageError.InvalidRequestTarget;
            head.TargetForm = RequestTargetForm.Absolute;
            head.Scheme = new ByteRange(offset, schemeEnd);
            head.Authority = new ByteRange(offset + authorityStart, authorityLength);
            pathStart = authorityStart + authorityLength;
        }

        int question = target[pathStart..].IndexOf((byte)'?');
        if (question < 0)
        {
            head.Path = new ByteRange(offset + pathStart, target.Length - pathStart);
            head.HasQuery = false;
            head.Query = new ByteRange(offset + target.Length, 0);
        }
        else
        {
            head.Path = new ByteRange(offset + pathStart, question);
            head.HasQuery = true;
            int queryStart = pathStart + question + 1;
            head.Query = new ByteRange(offset + queryStart, target.Length - queryStart);
        }
        return MessageError.None;
    }

    /// <summary>Length of <c>scheme</c> when the target starts with <c>scheme "://"</c>, else 0.</summary>
    private static int AbsoluteSchemeLength(ReadOnlySpan<byte> target)
    {
        int colon = target.IndexOf((byte)':');
        if (colon <= 0 || !IsAsciiLetter(target[0]) || target[1..colon].ContainsAnyExcept(SchemeTail)) return 0;
        return target[colon..].StartsWith("://"u8) ? colon : 0;
    }

    /// <summary><c>uri-host ":" port</c> (RFC 9112 §3.2.3): no path, no userinfo, a non-empty numeric port.</summary>
    private static bool IsAuthorityForm(ReadOnlySpan<byte> target)
    {
        if (target.ContainsAnyExcept(Authority)) return false;
        int colon = target.LastIndexOf((byte)':');
        if (colon <= 0 || colon == target.Length - 1) return false;
        ReadOnlySpan<byte> host = target[..colon];
        if (host[0] == '[' ? host[^1] != ']' : host.Contains((byte)':')) return false;
        foreach (byte b in target[(colon + 1)..])
        {
            if (!IsDigit(b)) return false;
        }
        return true;
    }

    private static bool IsAsciiLetter(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';

    private static RequestMethod IdentifyMethod(ReadOnlySpan<byte> method) => method.Length switch
    {
        3 when method.SequenceEqual("GET"u8) => RequestMethod.Get,
        3 when method.SequenceEqual("PUT"u8) => RequestMethod.Put,
        4 when method.SequenceEqual("HEAD"u8) => RequestMethod.Head,
        4 when method.SequenceEqual("POST"u8) => RequestMethod.Post,
        5 when method.SequenceEqual("TRACE"u8) => RequestMethod.Trace,
        5 when method.SequenceEqual("PATCH"u8) => RequestMethod.Patch,
        6 when method.SequenceEqual("DELETE"u8) => RequestMethod.Delete,
        7 when method.SequenceEqual("CONNECT"u8) => RequestMethod.Connect,
        7 when method.SequenceEqual("OPTIONS"u8) => RequestMethod.Options,
        _ => RequestMethod.Other,
    };

    /// <summary><c>HTTP-version SP 3DIGIT [SP reason-phrase]</c> (RFC 9112 §4).</summary>
    private static MessageError ParseStatusLine(ReadOnlySpan<byte> buffer, int lineFeed, ResponseHead head)
    {
        if (lineFeed == 0 || buffer[lineFeed - 1] != '\r') return MessageError.BareLineFeed;
        ReadOnlySpan<byte> line = buffer[..(lineFeed - 1)];
        if (line.Length < 12 || line[8] != ' ') return MessageError.InvalidStatusLine;

        MessageError versionError = ParseVersion(line[..8], out Http1Version version);
        if (versionError == MessageError.InvalidVersion) return MessageError.InvalidStatusLine;
        if (versionError != MessageError.None) return versionError;
        head.Version = version;

        byte d0 = line[9], d1 = line[10], d2 = line[11];
        // RFC 9110 §15: codes outside 100..599 are invalid but a client processes them as 5xx; a
        // leading 0 is not a status code at all.
        if (!IsDigit(d0) || !IsDigit(d1) || !IsDigit(d2) || d0 == '0') return MessageError.InvalidStatusLine;
        head.StatusCode = (d0 - '0') * 100 + (d1 - '0') * 10 + (d2 - '0');
        head.StatusCodeText = new ByteRange(9, 3);

        // The grammar wants the SP even before an empty reason; servers often omit it, harmlessly.
        if (line.Length == 12)
        {
            head.Reason = new ByteRange(12, 0);
            return MessageError.None;
        }
        if (line[12] != ' ') return MessageError.InvalidStatusLine;
        ReadOnlySpan<byte> reason = line[13..];
        if (reason.ContainsAnyExcept(FieldValue)) return MessageError.InvalidStatusLine;
        head.Reason = new ByteRange(13, reason.Length);
        return MessageError.None;
    }

    /// <summary>Rules that need the whole head (RFC 9112 §3.2, §6.1, §6.3).</summary>
    private static MessageError CheckRequestSemantics(RequestHead head)
    {
        if (head.HasTransferEncoding)
        {
            // §6.1: a 1.0 message with Transfer-Encoding has faulty framing; for a request, refuse.
            if (head.Version == Http1Version.Http10) return MessageError.TransferEncodingInHttp10;
            // §6.3: "ought to be handled as an error" — and it is the classic smuggling vector.
            if (head.HasContentLength) return MessageError.ContentLengthWithTransferEncoding;
            if (head.ChunkedCount > 1) return MessageError.ChunkedAppliedTwice;
            if (!head.IsChunked) return MessageError.ChunkedNotFinal;
        }
        if (head.Version == Http1Version.Http11 && !head.HasHost) return MessageError.MissingHost;
        return MessageError.None;
    }

    private static HeadParseResult RequestFailure(RequestHead head, MessageError error)
    {
        head.MarkFailed(error);
        return HeadParseResult.Failure(error, error.RequestStatusCode());
    }

    private static HeadParseResult ResponseFailure(ResponseHead head, MessageError error)
    {
        head.MarkFailed(error);
        return HeadParseResult.Failure(error, ResponseErrorStatus);
    }
}
