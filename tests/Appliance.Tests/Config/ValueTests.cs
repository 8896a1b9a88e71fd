using Appliance.Config.Values;

namespace Appliance.Tests.Config;

public class ValueTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("5000", 5_000_000L)]
    [InlineData("250ms", 250_000L)]
    [InlineData("1500us", 1_500L)]
    [InlineData("30s", 30_000_000L)]
    [InlineData("2m", 120_000_000L)]
    [InlineData("1h", 3_600_000_000L)]
    [InlineData("1d", 86_400_000_000L)]
    [InlineData("0005s", 5_000_000L)]
    [InlineData("2147483647", 2_147_483_647_000L)]
    [InlineData("24d", 2_073_600_000_000L)]
    public void ParsesTimesInMillisecondsByDefault(string text, long microseconds)
    {
        Assert.True(TimeValue.TryParse(text, out var value, out string error), error);
        Assert.Equal(TimeSpan.FromMicroseconds(microseconds), value);
    }

    [Theory]
    [InlineData("", "empty time value")]
    [InlineData("-1", "negative time '-1'")]
    [InlineData("s", "invalid time 's': expected a number with an optional unit us, ms, s, m, h or d")]
    [InlineData("1.5s", "invalid unit '.5s' in time '1.5s' (expected us, ms, s, m, h or d)")]
    [InlineData("5x", "invalid unit 'x' in time '5x' (expected us, ms, s, m, h or d)")]
    [InlineData("5S", "invalid unit 'S' in time '5S' (expected us, ms, s, m, h or d)")]
    [InlineData("2147483648", "time '2147483648' is too large (maximum 2147483647 ms, about 24.8 days)")]
    [InlineData("25d", "time '25d' is too large (maximum 2147483647 ms, about 24.8 days)")]
    [InlineData("99999999999999999999h", "time '99999999999999999999h' is too large (maximum 2147483647 ms, about 24.8 days)")]
    public void RejectsBadTimes(string text, string expected)
    {
        Assert.False(TimeValue.TryParse(text, out _, out string error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("16384", 16384L)]
    [InlineData("16k", 16_384L)]
    [InlineData("16K", 16_384L)]
    [InlineData("2m", 2_097_152L)]
    [InlineData("1G", 1_073_741_824L)]
    public void ParsesSizesAsBinaryMultiples(string text, long bytes)
    {
        Assert.True(SizeValue.TryParse(text, out long value, out string error), error);
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("-1k", "negative size '-1k'")]
    [InlineData("k", "invalid size 'k': expected a number with an optional suffix k, m or g")]
    [InlineData("1t", "invalid suffix 't' in size '1t' (expected k, m or g)")]
    [InlineData("1kb", "invalid suffix 'kb' in size '1kb' (expected k, m or g)")]
    [InlineData("9999999999999g", "size '9999999999999g' is too large")]
    public void RejectsBadSizes(string text, string expected)
    {
        Assert.False(SizeValue.TryParse(text, out _, out string error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("12", 0, 100, true, "")]
    [InlineData("101", 0, 100, false, "value 101 is out of range (0..100)")]
    [InlineData("-1", 0, int.MaxValue, false, "value -1 is out of range (must be at least 0)")]
    [InlineData("1e3", 0, 100, false, "invalid number '1e3'")]
    [InlineData("+5", 0, 100, false, "invalid number '+5'")]
    [InlineData("99999999999999999999", 0, int.MaxValue, false, "value 99999999999999999999 is out of range (must be at least 0)")]
    public void ParsesIntegersWithRanges(string text, int min, int max, bool ok, string expected)
    {
        Assert.Equal(ok, IntegerValue.TryParse(text, min, max, out _, out string error));
        Assert.Equal(expected, error);
    }
}
