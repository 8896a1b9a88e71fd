using System.Net;
using Appliance.Config.Addresses;
using Appliance.Config.Keywords;
using Appliance.Config.Model;
using Appliance.Config.Parsing;
using Appliance.Config.Values;

namespace Appliance.Runtime;

/// <summary>
/// The arguments of <c>add server &lt;backend&gt;/&lt;server&gt; &lt;addr&gt;:&lt;port&gt; [options]</c>, checked
/// as HAProxy checks them: a server name of the proxy-name alphabet, an IP address with a port (no name
/// resolution), and only the server options that make sense on a dynamic server. As in HAProxy, nothing
/// comes from the backend's <c>default-server</c> line, and the server always starts in maintenance
/// (<c>enable server</c> puts it into rotation; <c>disabled</c> is accepted and changes nothing).
/// Options are read by the configuration's own option table, so their values are validated exactly
/// as on a <c>server</c> line.
/// </summary>
internal sealed record AddServerRequest(string Backend, string Server, ServerConfig Config)
{
    public const string Usage = "add server <backend>/<server> <addr>:<port> [weight <n>] [check] [inter <t>] [fastinter <t>] "
                                + "[downinter <t>] [rise <n>] [fall <n>] [port <p>] [maxconn <n>] [backup] [disabled]";

    /// <summary>Where diagnostics of a runtime-added server point (no file line defines it).</summary>
    public static readonly SourceLocation Location = new("runtime API", 0);

    /// <summary>The server options accepted on <c>add server</c> (HAProxy's dynamic-server subset of what is implemented here).</summary>
    public static readonly IReadOnlyList<string> DynamicOptions =
        ["weight", "check", "inter", "fastinter", "downinter", "rise", "fall", "port", "maxconn", "backup", "disabled"];

    /// <summary>Parses the words after <c>add server</c>; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static AddServerRequest Parse(IReadOnlyList<string> arguments)
    {
        if (arguments.Count < 1) throw new ArgumentException("Require 'backend/server'.");
        string qualified = arguments[0];
        int slash = qualified.IndexOf('/');
        if (slash <= 0 || slash == qualified.Length - 1) throw new ArgumentException("Require 'backend/server'.");
        string backend = qualified[..slash];
        string server = qualified[(slash + 1)..];
        if (ProxyName.Check(server) is { } invalid) throw new ArgumentException($"Invalid server name: {invalid}.");
        if (arguments.Count < 2) throw new ArgumentException("Require an address (<addr>:<port>).");
        if (!AddressParser.TryParseServer(arguments[1], out IPEndPoint address, out string addressError))
        {
            throw new ArgumentException($"Invalid address: {addressError}.");
        }

        var words = new string[arguments.Count];
        for (int i = 0; i < words.Length; i++) words[i] = arguments[i];
        CheckOptionNames(words);
        var diagnostics = new DiagnosticBag();
        var line = new KeywordLine(words, 2, "add server", Usage, Location, backend, diagnostics);
        ServerOptions options = ServerOptionKeywords.Options.ParseAll(line, 0, ServerOptions.Default);
        if (diagnostics.ErrorCount > 0) throw new ArgumentException(diagnostics.SortedErrors()[0].Message + ".");
        // Dynamic servers are created in maintenance, as in HAProxy.
        return new AddServerRequest(backend, server, options.ToServer(server, address, Location) with { Disabled = true });
    }

    /// <summary>Refuses an option that is unknown or not accepted on a dynamic server, naming it.</summary>
    private static void CheckOptionNames(string[] words)
    {
        var table = ServerOptionKeywords.Options.Options;
        for (int i = 2; i < words.Length;)
        {
            string name = words[i];
            WordOption<ServerOptions>? option = null;
            foreach (var candidate in table)
            {
                if (candidate.Name == name) option = candidate;
            }
            if (option is null) throw new ArgumentException($"'{name}' is not a server option.");
            if (!DynamicOptions.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException(name == "enabled"
                    ? "'enabled' option is not accepted for dynamic server: it starts in maintenance, use 'enable server'."
                    : $"'{name}' option is not accepted for dynamic server (supported: {string.Join(", ", DynamicOptions)}).");
            }
            i += 1 + option.ArgumentCount;
        }
    }
}
