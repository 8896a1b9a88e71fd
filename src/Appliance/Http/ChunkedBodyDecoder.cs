using static Appliance.Http.HttpCharacterClasses;

namespace Appliance.Http;

/// <summary>
/// Incremental, strict decoder of the chunked transfer coding (RFC 9112 §7.1): feed bytes as they arrive,
/// split anywhere; it says how many belong to the message and when the message ends. It keeps no bytes,
/// only its state, so a proxy forwards exactly the consumed bytes as they are (or skips over
/// <see cref="ChunkDataRemaining"/> data bytes in bulk, e.g. with splice).
/// <para>
/// Validates chunk-size lines (hex digits, overflow, extensions as <c>;token[=token|quoted-string]</c>
/// with BWS), the CRLF after each chunk's data, the last chunk and the trailer section (field lines like
/// in a head; no obs-fold; no Content-Length/Transfer-Encoding/Host, which a sender must not put there and
/// a careless next hop might merge into the head). Any violation is final.
/// </para>
/// One instance per connection and direction, <see cref="Reset"/> per message; owned by the shard thread.
/// </summary>
public sealed class ChunkedBodyDecoder
{
    /// <summary>Chunk-size line limit (size and extensions): RFC 9112 §7.1.1 asks for a limit; 4 KiB is generous.</summary>
    public const int DefaultMaxLineBytes = 4096;

    private const int CandidateContentLength = 1, CandidateTransferEncoding = 2, CandidateHost = 4, AllCandidates = 7;

    private readonly int _maxLineBytes;
    private readonly int _maxTrailerBytes;
    private readonly int _maxTrailerFields;

    private State _state;
    private ChunkedError _error;
    private long _chunkSize;
    private long _remaining;
    private long _decodedBytes;
    private int _lineBytes;
    private int _trailerBytes;
    private int _trailerFields;
    private int _nameLength;
    private int _nameCandidates;

    /// <param name="maxLineBytes">Longest chunk-size line (size and extensions), CRLF included.</param>
    /// <param name="maxTrailerBytes">Longest trailer section (defaults to one 16 KiB head buffer, like a head).</param>
    /// <param name="maxTrailerFields">Most trailer fields (defaults to <c>tune.http.maxhdr</c>).</param>
    public ChunkedBodyDecoder(int maxLineBytes = DefaultMaxLineBytes, int maxTrailerBytes = 16384, int maxTrailerFields = 101)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTrailerBytes, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTrailerFields);
        _maxLineBytes = maxLineBytes;
        _maxTrailerBytes = maxTrailerBytes;
        _maxTrailerFields = maxTrailerFields;
        Reset();
    }

    private enum State : byte
    {
        SizeStart,
        Size,
        SizeWhitespace,
        ExtensionBeforeName,
        ExtensionName,
        ExtensionAfterName,
        ExtensionBeforeValue,
        ExtensionTokenValue,
        ExtensionQuotedValue,
        ExtensionQuotedPair,
        ExtensionAfterQuotedValue,
        ExtensionAfterValue,
        SizeLineFeed,
        Data,
        DataCarriageReturn,
        DataLineFeed,
        TrailerLineStart,
        TrailerName,
        TrailerValue,
        TrailerLineFeed,
        FinalLineFeed,
        Done,
        Failed,
    }

    /// <summary>The body ended.</summary>
    public bool IsComplete => _state == State.Done;

    /// <summary>Payload bytes (chunk data) seen so far.</summary>
    public long DecodedBytes => _decodedBytes;

    /// <summary>When inside a chunk's data: how many data bytes follow before the next framing byte.</summary>
    public long ChunkDataRemaining => _state == State.Data ? _remaining : 0;

    public void Reset()
    {
        _state = State.SizeStart;
        _error = ChunkedError.None;
        _chunkSize = 0;
        _remaining = 0;
        _decodedBytes = 0;
        _lineBytes = 0;
        _trailerBytes = 0;
        _trailerFields = 0;
        _nameLength = 0;
        _nameCandidates = 0;
    }

    /// <summary>
    /// Consumes as much of <paramref name="input"/> as belongs to the message: all of it while the body
    /// continues, up to the end of the trailer section when it completes.
    /// </summary>
    public ChunkedDecodeResult Advance(ReadOnlySpan<byte> input)
    {
        int total = 0;
        while (true)
        {
            ChunkedDecodeResult step = Decode(input[total..], out _);
            total += step.Consumed;
            if (step.Status != ChunkedDecodeStatus.NeedMoreBytes || total == input.Length)
            {
                return step with { Consumed = total };
            }
        }
    }

    /// <summary>
    /// Consumes framing bytes and at most one run of chunk data, stopping right after that run, so a
    /// caller that wants the payload gets it as <paramref name="data"/> (a range of <paramref name="input"/>;
    /// empty when none). Loop until all input is consumed, the body completes or an error occurs.
    /// </summary>
    public ChunkedDecodeResult Decode(ReadOnlySpan<byte> input, out ByteRange data)
    {
        data = default;
        if (_state == State.Done) return new(ChunkedDecodeStatus.Complete, 0, ChunkedError.None);
        if (_state == State.Failed) return new(ChunkedDecodeStatus.Error, 0, _error);

        int i = 0;
        while (i < input.Length)
        {
            if (_state == State.Data)
            {
                int run = (int)Math.Min(_remaining, input.Length - i);
                data = new ByteRange(i, run);
                i += run;
                _remaining -= run;
                _decodedBytes += run;
                if (_remaining == 0) _state = State.DataCarriageReturn;
                return new(ChunkedDecodeStatus.NeedMoreBytes, i, ChunkedError.None);
            }

            ChunkedError error = Step(input[i]);
            if (error != ChunkedError.None)
            {
                _state = State.Failed;
                _error = error;
                return new(ChunkedDecodeStatus.Error, i, error);
            }
            i++;
            if (_state == State.Done) return new(ChunkedDecodeStatus.Complete, i, ChunkedError.None);
        }
        return new(ChunkedDecodeStatus.NeedMoreBytes, i, ChunkedError.None);
    }

    /// <summary>One framing byte (anything but chunk data).</summary>
    private ChunkedError Step(byte b)
    {
        if (_state <= State.SizeLineFeed && ++_lineBytes > _maxLineBytes) return ChunkedError.LineTooLong;
        if (_state >= State.TrailerLineStart && _state <= State.FinalLineFeed && ++_trailerBytes > _maxTrailerBytes)
        {
            return ChunkedError.TrailersTooLarge;
        }

        switch (_state)
        {
            case State.SizeStart:
            {
                int digit = HexValue(b);
                if (digit < 0) return b == '\n' ? ChunkedError.InvalidLineEnding : ChunkedError.InvalidChunkSize;
                _chunkSize = digit;
                _state = State.Size;
                return ChunkedError.None;
            }
            case State.Size:
            {
                int digit = HexValue(b);
                if (digit >= 0)
                {
                    if (_chunkSize > (long.MaxValue >> 4)) return ChunkedError.ChunkSizeOverflow;
                    _chunkSize = (_chunkSize << 4) | (uint)digit;
                    return ChunkedError.None;
                }
                return b switch
                {
                    (byte)';' => Go(State.ExtensionBeforeName),
                    (byte)' ' or (byte)'\t' => Go(State.SizeWhitespace),
                    (byte)'\r' => Go(State.SizeLineFeed),
                    (byte)'\n' => ChunkedError.InvalidLineEnding,
                    _ => ChunkedError.InvalidChunkSize,
                };
            }
            case State.SizeWhitespace:
                // BWS is only allowed before a ';' (chunk-ext = *( BWS ";" ... )): "5 \r\n" is refused.
                if (IsWhitespace(b)) return ChunkedError.None;
                return b == ';' ? Go(State.ExtensionBeforeName) : ChunkedError.InvalidChunkSize;
            case State.ExtensionBeforeName:
                if (IsWhitespace(b)) return ChunkedError.None;
                return Token.Contains(b) ? Go(State.ExtensionName) : ChunkedError.InvalidChunkExtension;
            case State.ExtensionName:
                if (Token.Contains(b)) return ChunkedError.None;
                return b switch
                {
                    (byte)'=' => Go(State.ExtensionBeforeValue),
                    (byte)';' => Go(State.ExtensionBeforeName),
                    (byte)' ' or (byte)'\t' => Go(State.ExtensionAfterName),
                    (byte)'\r' => Go(State.SizeLineFeed),
                    (byte)'\n' => ChunkedError.InvalidLineEnding,
                    _ => ChunkedError.InvalidChunkExtension,
                };
            case State.ExtensionAfterName:
                if (IsWhitespace(b)) return ChunkedError.None;
                return b switch
                {
                    (byte)'=' => Go(State.ExtensionBeforeValue),
                    (byte)';' => Go(State.ExtensionBeforeName),
                    _ => ChunkedError.InvalidChunkExtension,
                };
            case State.ExtensionBeforeValue:
                if (IsWhitespace(b)) return ChunkedError.None;
                if (b == '"') return Go(State.ExtensionQuotedValue);
                return Token.Contains(b) ? Go(State.ExtensionTokenValue) : ChunkedError.InvalidChunkExtension;
            case State.ExtensionTokenValue:
                if (Token.Contains(b)) return ChunkedError.None;
                return b switch
                {
                    (byte)';' => Go(State.ExtensionBeforeName),
                    (byte)' ' or (byte)'\t' => Go(State.ExtensionAfterValue),
                    (byte)'\r' => Go(State.SizeLineFeed),
                    (byte)'\n' => ChunkedError.InvalidLineEnding,
                    _ => ChunkedError.InvalidChunkExtension,
                };
            case State.ExtensionQuotedValue:
                if (b == '"') return Go(State.ExtensionAfterQuotedValue);
                if (b == '\\') return Go(State.ExtensionQuotedPair);
                return IsQuotedText(b) ? ChunkedError.None : ChunkedError.InvalidChunkExtension;
            case State.ExtensionQuotedPair:
                return IsQuotedPairText(b) ? Go(State.ExtensionQuotedValue) : ChunkedError.InvalidChunkExtension;
            case State.ExtensionAfterQuotedValue:
                return b switch
                {
                    (byte)';' => Go(State.ExtensionBeforeName),
                    (byte)' ' or (byte)'\t' => Go(State.ExtensionAfterValue),
                    (byte)'\r' => Go(State.SizeLineFeed),
                    (byte)'\n' => ChunkedError.InvalidLineEnding,
                    _ => ChunkedError.InvalidChunkExtension,
                };
            case State.ExtensionAfterValue:
                if (IsWhitespace(b)) return ChunkedError.None;
                return b == ';' ? Go(State.ExtensionBeforeName) : ChunkedError.InvalidChunkExtension;
            case State.SizeLineFeed:
                if (b != '\n') return ChunkedError.InvalidLineEnding;
                _lineBytes = 0;
                if (_chunkSize == 0) return Go(State.TrailerLineStart);
                _remaining = _chunkSize;
                return Go(State.Data);
            case State.DataCarriageReturn:
                return b == '\r' ? Go(State.DataLineFeed) : ChunkedError.MissingDataTerminator;
            case State.DataLineFeed:
                return b == '\n' ? Go(State.SizeStart) : ChunkedError.MissingDataTerminator;
            case State.TrailerLineStart:
                if (b == '\r') return Go(State.FinalLineFeed);
                if (b == '\n') return ChunkedError.InvalidLineEnding;
                if (!Token.Contains(b)) return ChunkedError.InvalidTrailerField; // includes obs-fold's SP/HTAB
                if (++_trailerFields > _maxTrailerFields) return ChunkedError.TrailersTooLarge;
                _nameLength = 0;
                _nameCandidates = AllCandidates;
                MatchNameByte(b);
                return Go(State.TrailerName);
            case State.TrailerName:
                if (Token.Contains(b))
                {
                    MatchNameByte(b);
                    return ChunkedError.None;
                }
                if (b != ':') return ChunkedError.InvalidTrailerField; // includes whitespace before the colon
                return IsForbiddenTrailerName() ? ChunkedError.ForbiddenTrailerField : Go(State.TrailerValue);
            case State.TrailerValue:
                if (b == '\r') return Go(State.TrailerLineFeed);
                return FieldValue.Contains(b) ? ChunkedError.None : ChunkedError.InvalidTrailerField;
            case State.TrailerLineFeed:
                return b == '\n' ? Go(State.TrailerLineStart) : ChunkedError.InvalidLineEnding;
            case State.FinalLineFeed:
                return b == '\n' ? Go(State.Done) : ChunkedError.InvalidLineEnding;
            default:
                return ChunkedError.InvalidChunkSize;
        }
    }

    private ChunkedError Go(State next)
    {
        _state = next;
        return ChunkedError.None;
    }

    /// <summary>Narrows the set of forbidden names the trailer name being read could still be.</summary>
    private void MatchNameByte(byte b)
    {
        if (_nameCandidates != 0)
        {
            byte lower = (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
            int at = _nameLength;
            if (!Matches("content-length"u8, at, lower)) _nameCandidates &= ~CandidateContentLength;
            if (!Matches("transfer-encoding"u8, at, lower)) _nameCandidates &= ~CandidateTransferEncoding;
            if (!Matches("host"u8, at, lower)) _nameCandidates &= ~CandidateHost;
        }
        _nameLength++;
    }

    private static bool Matches(ReadOnlySpan<byte> name, int at, byte lower) => at < name.Length && name[at] == lower;

    private bool IsForbiddenTrailerName() =>
        ((_nameCandidates & CandidateContentLength) != 0 && _nameLength == "content-length"u8.Length)
        || ((_nameCandidates & CandidateTransferEncoding) != 0 && _nameLength == "transfer-encoding"u8.Length)
        || ((_nameCandidates & CandidateHost) != 0 && _nameLength == "host"u8.Length);
}
