using System.Text;
using static Appliance.Http.HttpCharacterClasses;

namespace Appliance.Http;

/// <summary>
/// What requests and responses share once parsed: version, field lines as ranges of the parsed buffer,
/// and the framing and connection facts read from them. One instance per connection and direction,
/// reset per message: the field table is allocated once, at construction, with
/// <see cref="HeadLimits.MaxHeaders"/> slots.
/// Every range is relative to the start of the span given to the parser, so the accessors taking a
/// buffer must get that same span. Owned by the connection's shard thread.
/// </summary>
public abstract class MessageHead
{
    private readonly HeaderField[] _fields;
    private int _fieldCount;
    private int _contentLengthFields;

    internal HeadParseStage Stage;
    internal int LineStart;
    internal int ScanFrom;
    internal MessageError Failure;

    private protected MessageHead(HeadLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        Limits = limits;
        _fields = new HeaderField[limits.MaxHeaders];
        ResetCommon();
    }

    public HeadLimits Limits { get; }

    public Http1Version Version { get; internal set; }

    /// <summary>Bytes of the head once complete (see <see cref="HeadParseResult.Consumed"/>).</summary>
    public int HeadLength { get; private set; }

    public bool IsComplete => Stage == HeadParseStage.Complete;

    /// <summary>The field lines in message order.</summary>
    public ReadOnlySpan<HeaderField> Headers => _fields.AsSpan(0, _fieldCount);

    /// <summary>Options of all <c>Connection</c> fields together.</summary>
    public ConnectionOptions Connection { get; private set; }

    /// <summary>The Content-Length, or -1 when there is none.</summary>
    public long ContentLength { get; private set; }

    public bool HasContentLength => ContentLength >= 0;

    public bool HasTransferEncoding { get; private set; }

    /// <summary>Transfer-Encoding is present and its final coding is chunked.</summary>
    public bool IsChunked { get; private set; }

    /// <summary>An <c>Upgrade</c> field is present.</summary>
    public bool HasUpgrade { get; private set; }

    /// <summary>
    /// Whether the connection stays open after this message as far as version and Connection say:
    /// HTTP/1.1 persists unless <c>close</c>; HTTP/1.0 only with <c>keep-alive</c> and no <c>close</c>
    /// (RFC 9112 §9.3). A close-delimited body ends the connection regardless; see <see cref="BodyFraming"/>.
    /// </summary>
    public bool KeepsConnectionAlive
    {
        get
        {
            if ((Connection & ConnectionOptions.Close) != 0) return false;
            return Version == Http1Version.Http11 || (Connection & ConnectionOptions.KeepAlive) != 0;
        }
    }

    /// <summary>
    /// Content-Length came as several identical fields or as a list (<c>5, 5</c>): accepted and collapsed
    /// (RFC 9112 §6.3 allows either rejecting or replacing by one value), so a forwarded head must carry
    /// the single value, which the writer does.
    /// </summary>
    internal bool ContentLengthNeedsRewrite { get; private set; }

    internal int ChunkedCount { get; private set; }

    /// <summary>Forgets the previous message; keeps the field table.</summary>
    public virtual void Reset() => ResetCommon();

    /// <summary>Index of the first field named <paramref name="name"/> (ASCII case-insensitive) at or after <paramref name="startIndex"/>, or -1.</summary>
    public int IndexOfHeader(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name, int startIndex = 0)
    {
        ReadOnlySpan<HeaderField> fields = Headers;
        for (int i = startIndex; i < fields.Length; i++)
        {
            ByteRange n = fields[i].Name;
            if (n.Length == name.Length && Ascii.EqualsIgnoreCase(n.Of(buffer), name)) return i;
        }
        return -1;
    }

    /// <summary>The value of the first field named <paramref name="name"/>.</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int index = IndexOfHeader(buffer, name);
        value = index >= 0 ? _fields[index].Value.Of(buffer) : default;
        return index >= 0;
    }

    /// <summary>All values of fields named <paramref name="name"/>, in order.</summary>
    public HeaderValues ValuesOf(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name) => new(buffer, name, this);

    /// <summary>
    /// Whether a <c>Connection</c> field lists <paramref name="name"/> as an option, i.e. names it as
    /// hop-by-hop (RFC 9110 §7.6.1).
    /// </summary>
    public bool IsNamedByConnection(ReadOnlySpan<byte> buffer, ReadOnlySpan<byte> name)
    {
        if ((Connection & ConnectionOptions.Other) == 0) return false;
        ReadOnlySpan<HeaderField> fields = Headers;
        for (int i = 0; i < fields.Length; i++)
        {
            if (fields[i].Known != KnownHeader.Connection) continue;
            var options = new FieldListReader(fields[i].Value.Of(buffer));
            while (options.TryRead(out ReadOnlySpan<byte> option))
            {
                if (Ascii.EqualsIgnoreCase(option, name)) return true;
            }
        }
        return false;
    }

    internal void MarkComplete(int headLength)
    {
        HeadLength = headLength;
        Stage = HeadParseStage.Complete;
    }

    internal void MarkFailed(MessageError error)
    {
        Failure = error;
        Stage = HeadParseStage.Failed;
    }

    /// <summary>Stores one validated field line and reads what it means for framing and connection.</summary>
    internal MessageError AddField(ReadOnlySpan<byte> name, ByteRange nameRange, ReadOnlySpan<byte> value, ByteRange valueRange)
    {
        if (_fieldCount == _fields.Length) return MessageError.TooManyHeaders;
        KnownHeader known = Classify(name);
        _fields[_fieldCount++] = new HeaderField(nameRange, valueRange, known);
        return known switch
        {
            KnownHeader.Other => MessageError.None,
            KnownHeader.ContentLength => AbsorbContentLength(value),
            KnownHeader.TransferEncoding => AbsorbTransferEncoding(value),
            KnownHeader.Connection => AbsorbConnection(value),
            KnownHeader.Upgrade => AbsorbUpgrade(),
            _ => AbsorbField(known, value, valueRange),
        };
    }

    /// <summary>Fields only one kind of message interprets (Host, Expect for requests).</summary>
    private protected virtual MessageError AbsorbField(KnownHeader known, ReadOnlySpan<byte> value, ByteRange valueRange) => MessageError.None;

    private MessageError AbsorbUpgrade()
    {
        HasUpgrade = true;
        return MessageError.None;
    }

    private MessageError AbsorbContentLength(ReadOnlySpan<byte> value)
    {
        if (_contentLengthFields++ > 0) ContentLengthNeedsRewrite = true;
        while (true)
        {
            int comma = value.IndexOf((byte)',');
            ReadOnlySpan<byte> element = TrimWhitespace(comma < 0 ? value : value[..comma]);
            if (!TryParseDecimal(element, out long length)) return MessageError.InvalidContentLength;
            if (ContentLength >= 0 && ContentLength != length) return MessageError.ConflictingContentLength;
            ContentLength = length;
            if (comma < 0) return MessageError.None;
            ContentLengthNeedsRewrite = true;
            value = value[(comma + 1)..];
        }
    }

    private MessageError AbsorbTransferEncoding(ReadOnlySpan<byte> value)
    {
        HasTransferEncoding = true;
        var codings = new FieldListReader(value);
        bool any = false;
        while (codings.TryRead(out ReadOnlySpan<byte> coding))
        {
            any = true;
            // Parameters (";q=...") are refused along with anything else that is not a bare token:
            // no registered transfer coding needs them, and chunked must not have them.
            if (coding.ContainsAnyExcept(Token)) return MessageError.InvalidTransferEncoding;
            if (Ascii.EqualsIgnoreCase(coding, "chunked"u8))
            {
                ChunkedCount++;
                IsChunked = true;
            }
            else if (IsKnownTransferCoding(coding))
            {
                IsChunked = false;
            }
            else
            {
                return MessageError.UnknownTransferCoding;
            }
        }
        return any ? MessageError.None : MessageError.InvalidTransferEncoding;
    }

    private MessageError AbsorbConnection(ReadOnlySpan<byte> value)
    {
        var options = new FieldListReader(value);
        while (options.TryRead(out ReadOnlySpan<byte> option))
        {
            if (Ascii.EqualsIgnoreCase(option, "close"u8)) Connection |= ConnectionOptions.Close;
            else if (Ascii.EqualsIgnoreCase(option, "keep-alive"u8)) Connection |= ConnectionOptions.KeepAlive;
            else if (Ascii.EqualsIgnoreCase(option, "upgrade"u8)) Connection |= ConnectionOptions.Upgrade;
            else Connection |= ConnectionOptions.Other;
        }
        return MessageError.None;
    }

    /// <summary>The registered transfer codings (RFC 9110 §8.4.1, §18.7) other than chunked.</summary>
    private static bool IsKnownTransferCoding(ReadOnlySpan<byte> coding) =>
        Ascii.EqualsIgnoreCase(coding, "gzip"u8) || Ascii.EqualsIgnoreCase(coding, "x-gzip"u8)
        || Ascii.EqualsIgnoreCase(coding, "deflate"u8) || Ascii.EqualsIgnoreCase(coding, "compress"u8)
        || Ascii.EqualsIgnoreCase(coding, "x-compress"u8);

    /// <summary>1*DIGIT into a non-negative long; false when empty, not digits, or above long.MaxValue.</summary>
    internal static bool TryParseDecimal(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty) return false;
        foreach (byte b in digits)
        {
            uint digit = (uint)(b - '0');
            if (digit > 9) return false;
            if (value > (long.MaxValue - digit) / 10) return false;
            value = value * 10 + digit;
        }
        return true;
    }

    private static KnownHeader Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        2 when Ascii.EqualsIgnoreCase(name, "te"u8) => KnownHeader.TE,
        4 when Ascii.EqualsIgnoreCase(name, "host"u8) => KnownHeader.Host,
        6 when Ascii.EqualsIgnoreCase(name, "expect"u8) => KnownHeader.Expect,
        7 when Ascii.EqualsIgnoreCase(name, "upgrade"u8) => KnownHeader.Upgrade,
        10 when Ascii.EqualsIgnoreCase(name, "connection"u8) => KnownHeader.Connection,
        10 when Ascii.EqualsIgnoreCase(name, "keep-alive"u8) => KnownHeader.KeepAlive,
        14 when Ascii.EqualsIgnoreCase(name, "content-length"u8) => KnownHeader.ContentLength,
        16 when Ascii.EqualsIgnoreCase(name, "proxy-connection"u8) => KnownHeader.ProxyConnection,
        17 when Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) => KnownHeader.TransferEncoding,
        _ => KnownHeader.Other,
    };

    private void ResetCommon()
    {
        _fieldCount = 0;
        _contentLengthFields = 0;
        Stage = HeadParseStage.StartLine;
        LineStart = 0;
        ScanFrom = 0;
        Failure = MessageError.None;
        Version = Http1Version.Http11;
        HeadLength = 0;
        Connection = ConnectionOptions.None;
        ContentLength = -1;
        HasTransferEncoding = false;
        IsChunked = false;
        HasUpgrade = false;
        ContentLengthNeedsRewrite = false;
        ChunkedCount = 0;
    }
}
