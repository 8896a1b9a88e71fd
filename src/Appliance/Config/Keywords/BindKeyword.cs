using Appliance.Config.Addresses;
using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary><c>bind ADDR:PORT[,ADDR:PORT…] [options]</c>: one <see cref="BindConfig"/> per address.</summary>
internal static class BindKeyword
{
    /// <summary>
    /// Options that change what the client speaks (TLS) or which packets are accepted are refused:
    /// ignoring them would serve the wrong protocol on the port. <c>accept-proxy</c> is implemented.
    /// </summary>
    public static WordOptionTable<BindOptions> Options { get; } = new("bind", Build());

    public static void Parse(KeywordLine line, ProxySection section)
    {
        section.HasBindLine = true;
        if (!line.HasArguments(1, int.MaxValue)) return;
        bool addressesValid = AddressParser.TryParseBindList(line.Argument(0), out var endPoints, out string error);
        if (!addressesValid) line.Error(error);
        var options = Options.ParseAll(line, 1, BindOptions.Default);
        if (!addressesValid) return;
        foreach (var endPoint in endPoints) section.Binds.Add(new BindConfig(endPoint, options.V6Only, line.Location) { AcceptProxy = options.AcceptProxy });
    }

    private static IEnumerable<WordOption<BindOptions>> Build()
    {
        yield return new("v6only", 0, KeywordStatus.Implemented, "", "IPv6 socket refuses IPv4-mapped clients",
            (options, _, _) => options with { V6Only = true });
        yield return new("v4v6", 0, KeywordStatus.Implemented, "", "IPv6 socket also accepts IPv4 clients (the default)",
            (options, _, _) => options with { V6Only = false });
        yield return new("accept-proxy", 0, KeywordStatus.Implemented, "",
            "each connection starts with a PROXY protocol header (v1 or v2) whose source is the client; without a valid one it is closed",
            (options, _, _) => options with { AcceptProxy = true });
        foreach (var (name, count) in ((string, int)[])[
            ("name", 1), ("id", 1), ("defer-accept", 0), ("tfo", 0), ("backlog", 1), ("maxconn", 1), ("mss", 1),
            ("nice", 1), ("process", 1), ("thread", 1), ("severity-output", 1), ("level", 1), ("expose-fd", 1)])
        {
            yield return new(name, count, KeywordStatus.Ignored, count == 0 ? "" : "<value>", "not implemented yet");
        }
        foreach (var (name, count) in ((string, int)[])[
            ("ssl", 0), ("crt", 1), ("crt-list", 1), ("ca-file", 1), ("crl-file", 1), ("alpn", 1), ("npn", 1),
            ("verify", 1), ("ciphers", 1), ("ciphersuites", 1), ("curves", 1), ("ecdhe", 1), ("ssl-min-ver", 1),
            ("ssl-max-ver", 1), ("strict-sni", 0), ("allow-0rtt", 0), ("generate-certificates", 0), ("no-sslv3", 0),
            ("no-tlsv10", 0), ("no-tlsv11", 0), ("no-tlsv12", 0), ("no-tlsv13", 0), ("no-tls-tickets", 0),
            ("prefer-client-ciphers", 0), ("accept-netscaler-cip", 1), ("transparent", 0),
            ("interface", 1), ("namespace", 1), ("tcp-ut", 1), ("mode", 1), ("uid", 1), ("gid", 1), ("user", 1),
            ("group", 1), ("proto", 1)])
        {
            yield return new(name, count, KeywordStatus.Unsupported, count == 0 ? "" : "<value>", "not supported yet");
        }
    }
}
