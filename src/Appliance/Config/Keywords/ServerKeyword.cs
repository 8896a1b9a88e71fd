using Appliance.Config.Addresses;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary><c>server NAME ADDR:PORT [options]</c> and <c>default-server [options]</c>.</summary>
internal static class ServerKeyword
{
    public static void ParseServer(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(2, int.MaxValue)) return;
        string name = line.Argument(0);
        bool addressValid = AddressParser.TryParseServer(line.Argument(1), out var address, out string error);
        if (!addressValid) line.Error(error);
        // Options are read even after a bad address so that every mistake of the line is reported.
        var options = ServerOptionKeywords.Options.ParseAll(line, 2, section.Settings.DefaultServer);
        if (addressValid) section.Servers.Add(options.ToServer(name, address, line.Location));
    }

    public static void ParseDefaultServer(KeywordLine line, ProxySection section)
    {
        var options = ServerOptionKeywords.Options.ParseAll(line, 0, section.Settings.DefaultServer);
        section.Settings = section.Settings with { DefaultServer = options };
    }
}
