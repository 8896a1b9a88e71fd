using System.Text;
using Appliance.Config.Model;
using Appliance.Logging;

namespace Appliance.Tests.Logging;

public class SyslogHeaderTests
{
    private static readonly DateTimeOffset Date = new(2026, 11, 4, 9, 5, 3, 120, TimeSpan.Zero);

    private static string Header(SyslogFormat format, int facility) =>
        Encoding.ASCII.GetString(Write(format, facility));

    private static byte[] Write(SyslogFormat format, int facility)
    {
        var target = new LogTargetConfig(LogTargetKind.Udp, null, null, facility, 7, format, 1024, new SourceLocation("t", 1));
        var buffer = new byte[256];
        int length = SyslogHeader.Write(buffer, target, LogTargetConfig.InfoLevel, Date, "appliance", "lb1", 42);
        return buffer[..length];
    }

    [Fact]
    public void Rfc3164IsHaproxysDefaultWithoutHostname() =>
        // local0 = 16: 16 * 8 + info 6 = 134; the day is padded with a space as RFC 3164 wants.
        Assert.Equal("<134>Nov  4 09:05:03 appliance[42]: ", Header(SyslogFormat.Rfc3164, 16));

    [Fact]
    public void Rfc5424CarriesVersionTimestampHostAndPid() =>
        Assert.Equal("<158>1 2026-11-04T09:05:03.120000+00:00 lb1 appliance 42 - - ", Header(SyslogFormat.Rfc5424, 19));

    [Fact]
    public void ShortIsThePriorityAlone() => Assert.Equal("<30>", Header(SyslogFormat.Short, 3));

    [Fact]
    public void RawHasNoHeader() => Assert.Empty(Write(SyslogFormat.Raw, 16));
}
