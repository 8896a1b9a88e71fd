using System.Net;
using System.Text;
using Appliance.Logging;
using SocketAddress = Appliance.Native.SocketAddress;

namespace Appliance.Tests.Logging;

public class LogFormatTests
{
    private static readonly byte[] Client = Sockaddr("10.0.1.2:33317");
    private static readonly byte[] Local = Sockaddr("10.0.3.31:8012");

    private static byte[] Sockaddr(string endPoint)
    {
        byte[] sockaddr = new byte[SocketAddress.MaxLength];
        SocketAddress.Write(IPEndPoint.Parse(endPoint), sockaddr);
        return sockaddr;
    }

    private static string Format(LogFormat format, bool http = true, string? server = "srv1", string request = "GET /index.html HTTP/1.1")
    {
        var date = new DateTime(2009, 2, 6, 12, 14, 14, 655, DateTimeKind.Local);
        var fields = new LogFields
        {
            Client = Client,
            Local = Local,
            Frontend = "http-in",
            Mode = http ? "HTTP" : "TCP",
            Backend = "static",
            Server = server,
            AcceptDate = date,
            RequestDate = date,
            TR = 10, Tw = 0, Tc = 30, Tr = 69, Ta = 109, Tt = 5007,
            Status = 200,
            Bytes = 2750,
            Cause = (byte)'-', Phase = (byte)'-',
            ProcessConnections = 1, FrontendConnections = 1, BackendConnections = 1, ServerConnections = 1,
            Retries = 0,
            RequestLine = Encoding.ASCII.GetBytes(request),
            IsHttp = http,
        };
        var line = new LogLineWriter(new byte[1024]);
        format.Write(ref line, fields);
        return Encoding.ASCII.GetString(line.Written);
    }

    [Fact]
    public void HttplogIsHaproxysDocumentedExample() =>
        // configuration.txt 8.2.3's example line, without the captured headers (no capture lines here).
        Assert.Equal("10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 \"GET /index.html HTTP/1.1\"",
            Format(LogFormat.Http));

    [Fact]
    public void TcplogIsHaproxysDocumentedShape() =>
        Assert.Equal("10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 0/30/5007 2750 -- 1/1/1/1/0 0/0",
            Format(LogFormat.Tcp, http: false));

    [Fact]
    public void CustomFormatsUseEveryVariableKind()
    {
        LogFormat format = LogFormat.Parse("%ci %cp %fi:%fp %f %b/%s %HM %{+Q}HU %HV %m %ST %tsc %rc 100%% [%T]", out string? error)!;
        Assert.Null(error);
        Assert.True(format.NeedsLocalAddress);
        string utc = new DateTime(2009, 2, 6, 12, 14, 14, 655, DateTimeKind.Local).ToUniversalTime().ToString("dd/MMM/yyyy:HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"10.0.1.2 33317 10.0.3.31:8012 http-in static/<NOSRV> GET \"/a?b=\\\"c\\\"\" HTTP/1.0 HTTP 200 ---- 0 100% [{utc} +0000]",
            Format(format, server: null, request: "GET /a?b=\"c\" HTTP/1.0"));
        Assert.False(LogFormat.Http.NeedsLocalAddress);
    }

    [Fact]
    public void AMissingRequestLineIsBadreq() =>
        Assert.EndsWith("\"<BADREQ>\"", Format(LogFormat.Http, request: ""));

    [Theory]
    [InlineData("%ci %xx", "unknown or unsupported log-format variable '%xx'")]
    [InlineData("%[src]", "sample fetches (%[...]) in log-format are not supported yet")]
    [InlineData("%{+X}ci", "log-format flag '+X' is not supported (only +Q and -Q)")]
    [InlineData("%{+Q", "missing '}' after '%{' at position 1")]
    [InlineData("end %", "'%' at position 4 is not followed by a variable name")]
    public void RejectsWhatItCannotWrite(string text, string expected)
    {
        Assert.Null(LogFormat.Parse(text, out string? error));
        Assert.Equal(expected, error);
    }
}
