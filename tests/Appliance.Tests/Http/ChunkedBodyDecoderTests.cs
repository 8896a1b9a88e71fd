using Appliance.Http;
using static Appliance.Tests.Http.HttpText;

namespace Appliance.Tests.Http;

public sealed class ChunkedBodyDecoderTests
{
    public static TheoryData<string, string> ValidBodies => new()
    {
        { "0\r\n\r\n", "" },
        { "5\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", "hello world" },
        { "A\r\n0123456789\r\na\r\nabcdefghij\r\n0000\r\n\r\n", "0123456789abcdefghij" },
        { "005\r\nhe\r\nl\r\n0\r\n\r\n", "he\r\nl" },
        { "5;name\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;name=value;other=\"quoted ; \\\" value\"\r\nhello\r\n0;last\r\n\r\n", "hello" },
        { "5 ;a = b\t; c\r\nhello\r\n0\r\n\r\n", "hello" },
        { "5;a=\"x\" ;b\r\nhello\r\n0\r\n\r\n", "hello" },
        { "3\r\nabc\r\n0\r\nX-Checksum: 123\r\nX-Other:\tv  w \r\n\r\n", "abc" },
        { "3\r\nabc\r\n0\r\nContent-Type-Extra: x\r\nHosts: y\r\n\r\n", "abc" },
        { "1\r\n\u00ff\r\n0\r\nX-Obs: caf\u00e9\r\n\r\n", "\u00ff" },
    };

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void Whole_body_is_consumed_up_to_its_end(string body, string payload)
    {
        byte[] bytes = Bytes(body + "GET /next HTTP/1.1\r\n");
        var decoder = new ChunkedBodyDecoder();
        ChunkedDecodeResult result = decoder.Advance(bytes);
        Assert.Equal(ChunkedDecodeStatus.Complete, result.Status);
        Assert.Equal(body.Length, result.Consumed);
        Assert.Equal(payload.Length, decoder.DecodedBytes);
        Assert.True(decoder.IsComplete);
        Assert.Equal(payload, DecodeAll(bytes, [bytes.Length]).Payload);
    }

    [Theory]
    [MemberData(nameof(ValidBodies))]
    public void One_byte_at_a_time_gives_the_same_result(string body, string payload)
    {
        byte[] bytes = Bytes(body);
        var decoder = new ChunkedBodyDecoder();
        for (int i = 0; i < bytes.Length; i++)
        {
            ChunkedDecodeResult step = decoder.Advance(bytes.AsSpan(i, 1));
            Assert.Equal(1, step.Consumed);
            Assert.Equal(i == bytes.Length - 1 ? ChunkedDecodeStatus.Complete : ChunkedDecodeStatus.NeedMoreBytes, step.Status);
        }
        Assert.Equal(payload, DecodeAll(bytes, Enumerable.Repeat(1, bytes.Length).ToArray()).Payload);
    }

    [Fact]
    public void Random_splits_decode_like_the_unsplit_body()
    {
        var random = new Random(20240611);
        for (int round = 0; round < 200; round++)
        {
            (byte[] body, string payload) = RandomChunkedBody(random);
            byte[] input = [.. body, .. "POST"u8.ToArray()];
            (string whole, int wholeConsumed, ChunkedDecodeStatus wholeStatus) = DecodeAll(input, [input.Length]);
            Assert.Equal(ChunkedDecodeStatus.Complete, wholeStatus);
            Assert.Equal(body.Length, wholeConsumed);
            Assert.Equal(payload, whole);

            int[] splits = RandomSplits(random, input.Length);
            (string split, int splitConsumed, ChunkedDecodeStatus splitStatus) = DecodeAll(input, splits);
            Assert.Equal((whole, wholeConsumed, wholeStatus), (split, splitConsumed, splitStatus));
        }
    }

    [Fact]
    public void Data_remaining_lets_a_caller_skip_chunk_data_in_bulk()
    {
        var decoder = new ChunkedBodyDecoder();
        Assert.Equal(ChunkedDecodeStatus.NeedMoreBytes, decoder.Advance("400\r\nab"u8).Status);
        Assert.Equal(0x400 - 2, decoder.ChunkDataRemaining);
        Assert.Equal(2, decoder.DecodedBytes);
    }

    [Fact]
    public void After_completion_nothing_more_is_consumed_until_reset()
    {
        var decoder = new ChunkedBodyDecoder();
        Assert.True(decoder.Advance("0\r\n\r\n"u8).IsComplete);
        ChunkedDecodeResult again = decoder.Advance("5\r\nhello"u8);
        Assert.Equal((ChunkedDecodeStatus.Complete, 0), (again.Status, again.Consumed));
        decoder.Reset();
        Assert.Equal(ChunkedDecodeStatus.NeedMoreBytes, decoder.Advance("5\r\nhello"u8).Status);
    }

    [Theory]
    [InlineData("\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("x\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("-5\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("+5\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData(" 5\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("5 \r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("5g\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("5\0\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkSize)]
    [InlineData("8000000000000000\r\n", ChunkedError.ChunkSizeOverflow)]
    [InlineData("fffffffffffffffff\r\n", ChunkedError.ChunkSizeOverflow)]
    [InlineData("5;\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;=v\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a=\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a b\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a \r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a=b \r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a=\"b\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a=\"b\"c\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a=b@c\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5;a=\"\u0001\"\r\nhello\r\n0\r\n\r\n", ChunkedError.InvalidChunkExtension)]
    [InlineData("5\nhello\r\n0\r\n\r\n", ChunkedError.InvalidLineEnding)]
    [InlineData("5\rhello\r\n0\r\n\r\n", ChunkedError.InvalidLineEnding)]
    [InlineData("5;a\nhello\r\n0\r\n\r\n", ChunkedError.InvalidLineEnding)]
    [InlineData("5\r\nhello\n0\r\n\r\n", ChunkedError.MissingDataTerminator)]
    [InlineData("5\r\nhello0\r\n\r\n", ChunkedError.MissingDataTerminator)]
    [InlineData("5\r\nhello\r0\r\n\r\n", ChunkedError.MissingDataTerminator)]
    [InlineData("3\r\nhello\r\n0\r\n\r\n", ChunkedError.MissingDataTerminator)]
    [InlineData("0\r\n\n", ChunkedError.InvalidLineEnding)]
    [InlineData("0\r\n\rX", ChunkedError.InvalidLineEnding)]
    [InlineData("0\r\nA: b\n\r\n", ChunkedError.InvalidTrailerField)]
    [InlineData("0\r\nA: b\rX\r\n\r\n", ChunkedError.InvalidLineEnding)]
    [InlineData("0\r\n A: b\r\n\r\n", ChunkedError.InvalidTrailerField)]
    [InlineData("0\r\nA: b\r\n\tc\r\n\r\n", ChunkedError.InvalidTrailerField)]
    [InlineData("0\r\nA : b\r\n\r\n", ChunkedError.InvalidTrailerField)]
    [InlineData("0\r\n: b\r\n\r\n", ChunkedError.InvalidTrailerField)]
    [InlineData("0\r\nA\r\n\r\n", ChunkedError.InvalidTrailerField)]
    [InlineData("0\r\nA: b\u0000\r\n\r\n", ChunkedError.InvalidTrailerField)]
    [InlineData("0\r\nContent-Length: 5\r\n\r\n", ChunkedError.ForbiddenTrailerField)]
    [InlineData("0\r\ntransfer-encoding: chunked\r\n\r\n", ChunkedError.ForbiddenTrailerField)]
    [InlineData("0\r\nHOST: evil\r\n\r\n", ChunkedError.ForbiddenTrailerField)]
    public void Is_refused(string body, ChunkedError error)
    {
        byte[] bytes = Bytes(body);
        ChunkedDecodeResult whole = new ChunkedBodyDecoder().Advance(bytes);
        Assert.Equal(ChunkedDecodeStatus.Error, whole.Status);
        Assert.Equal(error, whole.Error);

        var decoder = new ChunkedBodyDecoder();
        ChunkedDecodeResult step = default;
        for (int i = 0; i < bytes.Length && !step.IsError; i++) step = decoder.Advance(bytes.AsSpan(i, 1));
        Assert.Equal(error, step.Error);
        Assert.Equal(error, decoder.Advance("0\r\n\r\n"u8).Error); // errors are final
    }

    [Fact]
    public void Error_consumed_points_at_the_offending_byte()
    {
        ChunkedDecodeResult result = new ChunkedBodyDecoder().Advance("5\r\nhello\r\nzz"u8);
        Assert.Equal((ChunkedError.InvalidChunkSize, 10), (result.Error, result.Consumed));
    }

    [Fact]
    public void Size_line_and_trailer_limits_are_enforced()
    {
        Assert.Equal(ChunkedError.LineTooLong, new ChunkedBodyDecoder(maxLineBytes: 16).Advance(Bytes("5;" + new string('a', 20) + "\r\n")).Error);
        Assert.Equal(ChunkedDecodeStatus.Complete, new ChunkedBodyDecoder(maxLineBytes: 16).Advance(Bytes("5;" + new string('a', 11) + "\r\nhello\r\n0\r\n\r\n")).Status);
        Assert.Equal(ChunkedError.LineTooLong, new ChunkedBodyDecoder(maxLineBytes: 16).Advance(Bytes(new string('0', 20) + "5\r\n")).Error);
        Assert.Equal(ChunkedError.TrailersTooLarge, new ChunkedBodyDecoder(maxTrailerBytes: 16).Advance(Bytes("0\r\nX-A: 0123456789abcdef\r\n\r\n")).Error);
        Assert.Equal(ChunkedError.TrailersTooLarge, new ChunkedBodyDecoder(maxTrailerFields: 1).Advance(Bytes("0\r\nA: 1\r\nB: 2\r\n\r\n")).Error);
        Assert.True(new ChunkedBodyDecoder(maxTrailerFields: 1).Advance(Bytes("0\r\nA: 1\r\n\r\n")).IsComplete);
    }

    [Fact]
    public void Largest_chunk_size_is_accepted()
    {
        var decoder = new ChunkedBodyDecoder();
        Assert.Equal(ChunkedDecodeStatus.NeedMoreBytes, decoder.Advance("7fffffffffffffff\r\n"u8).Status);
        Assert.Equal(long.MaxValue, decoder.ChunkDataRemaining);
    }

    /// <summary>Feeds <paramref name="input"/> in pieces of the given sizes through Decode, collecting payload.</summary>
    private static (string Payload, int Consumed, ChunkedDecodeStatus Status) DecodeAll(byte[] input, int[] pieces)
    {
        var decoder = new ChunkedBodyDecoder();
        var payload = new List<byte>();
        int offset = 0;
        ChunkedDecodeStatus status = ChunkedDecodeStatus.NeedMoreBytes;
        foreach (int size in pieces)
        {
            ReadOnlySpan<byte> piece = input.AsSpan(offset, size);
            int used = 0;
            while (true)
            {
                ChunkedDecodeResult step = decoder.Decode(piece[used..], out ByteRange data);
                payload.AddRange(data.Of(piece[used..]).ToArray());
                used += step.Consumed;
                status = step.Status;
                if (status != ChunkedDecodeStatus.NeedMoreBytes || used == piece.Length) break;
            }
            offset += used;
            if (status != ChunkedDecodeStatus.NeedMoreBytes) break;
        }
        return (Text(payload.ToArray()), offset, status);
    }

    private static (byte[] Body, string Payload) RandomChunkedBody(Random random)
    {
        var body = new System.Text.StringBuilder();
        var payload = new System.Text.StringBuilder();
        int chunks = random.Next(0, 6);
        for (int c = 0; c < chunks; c++)
        {
            int size = random.Next(1, 300);
            string data = new string(Enumerable.Range(0, size).Select(_ => (char)random.Next(0, 256)).ToArray());
            body.Append(random.Next(2) == 0 ? size.ToString("x", null) : size.ToString("X4", null));
            if (random.Next(3) == 0) body.Append(";ext=\"v\\\"al\" ; n");
            body.Append("\r\n").Append(data).Append("\r\n");
            payload.Append(data);
        }
        body.Append("0\r\n");
        if (random.Next(2) == 0) body.Append("X-Trailer: ").Append(random.Next()).Append("\r\n");
        body.Append("\r\n");
        return (Bytes(body.ToString()), payload.ToString());
    }

    private static int[] RandomSplits(Random random, int length)
    {
        var pieces = new List<int>();
        int left = length;
        while (left > 0)
        {
            int piece = Math.Min(left, random.Next(1, 12));
            pieces.Add(piece);
            left -= piece;
        }
        return pieces.ToArray();
    }
}
