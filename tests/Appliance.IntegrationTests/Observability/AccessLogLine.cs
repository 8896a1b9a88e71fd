using System.Globalization;
using System.Text.RegularExpressions;

namespace Appliance.IntegrationTests.Observability;

/// <summary>
/// One <c>option httplog</c> line parsed field by field (HAProxy's format, configuration.txt 8.2.3):
/// <c>CLIENT:PORT [DATE] FRONTEND BACKEND/SERVER TR/Tw/Tc/Tr/Ta STATUS BYTES - - TERM AC/FC/BC/SC/RC SQ/BQ "REQUEST"</c>.
/// </summary>
public sealed partial record AccessLogLine(
    string ClientIp, int ClientPort, DateTime Date, string Frontend, string Backend, string Server,
    long TR, long Tw, long Tc, long Tr, long Ta, int Status, long Bytes, string Termination,
    long ActiveConnections, long FrontendConnections, long BackendConnections, long ServerConnections, string Retries,
    long ServerQueue, long BackendQueue, string Request)
{
    public static AccessLogLine? Parse(string line)
    {
        Match m = HttpLog().Match(line);
        if (!m.Success) return null;
        long L(string name) => long.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture);
        return new AccessLogLine(
            m.Groups["ip"].Value, (int)L("port"),
            DateTime.ParseExact(m.Groups["date"].Value, "dd/MMM/yyyy:HH:mm:ss.fff", CultureInfo.InvariantCulture),
            m.Groups["fe"].Value, m.Groups["be"].Value, m.Groups["srv"].Value,
            L("TR"), L("Tw"), L("Tc"), L("Tr"), L("Ta"), (int)L("status"), L("bytes"), m.Groups["ts"].Value,
            L("ac"), L("fc"), L("bc"), L("sc"), m.Groups["rc"].Value, L("sq"), L("bq"), m.Groups["req"].Value);
    }

    [GeneratedRegex(@"^(?<ip>[0-9.]+):(?<port>\d+) \[(?<date>\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d\.\d{3})\] (?<fe>\S+) (?<be>\S+)/(?<srv>\S+) " +
                    @"(?<TR>-?\d+)/(?<Tw>-?\d+)/(?<Tc>-?\d+)/(?<Tr>-?\d+)/(?<Ta>-?\d+) (?<status>-?\d+) (?<bytes>\d+) - - (?<ts>\S{4}) " +
                    @"(?<ac>\d+)/(?<fc>\d+)/(?<bc>\d+)/(?<sc>\d+)/(?<rc>\+?\d+) (?<sq>\d+)/(?<bq>\d+) ""(?<req>[^""]*)""$")]
    private static partial Regex HttpLog();
}
