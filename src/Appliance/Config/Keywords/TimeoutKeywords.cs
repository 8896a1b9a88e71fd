using Appliance.Config.Model;
using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// The <c>timeout</c> keywords. Values are times in milliseconds unless a unit is written. Each is allowed
/// only where HAProxy's matrix allows it: a client-side timeout needs a frontend, a server-side one a backend.
/// </summary>
internal static class TimeoutKeywords
{
    private const SectionKinds All = SectionKinds.AllProxies;
    private const SectionKinds ClientSide = SectionKinds.Defaults | SectionKinds.Frontend;
    private const SectionKinds ServerSide = SectionKinds.Defaults | SectionKinds.Backend;

    public static IEnumerable<KeywordSpec<ProxySection>> Specs
    {
        get
        {
            yield return Spec("connect", ServerSide, "time to establish a server connection", (t, v) => t with { Connect = v });
            yield return Spec("client", ClientSide, "client inactivity", (t, v) => t with { Client = v });
            yield return Spec("server", ServerSide, "server inactivity", (t, v) => t with { Server = v });
            yield return Spec("check", ServerSide, "extra read timeout of a health check once connected", (t, v) => t with { Check = v });
            yield return Spec("queue", ServerSide, "time a request may wait for a server slot", (t, v) => t with { Queue = v });
            yield return Spec("http-request", All, "time to receive a complete HTTP request head", (t, v) => t with { HttpRequest = v });
            yield return Spec("http-keep-alive", All, "idle time between two HTTP requests", (t, v) => t with { HttpKeepAlive = v });
            yield return Spec("tunnel", ServerSide, "inactivity of tunnels (WebSocket, CONNECT)", (t, v) => t with { Tunnel = v });
            yield return Spec("client-fin", ClientSide, "inactivity after the client half-closed", (t, v) => t with { ClientFin = v });
            yield return Spec("server-fin", ServerSide, "inactivity after the server half-closed", (t, v) => t with { ServerFin = v });
            yield return new("timeout tarpit", All, KeywordStatus.Ignored, "<time>", "not implemented yet");
        }
    }

    private static KeywordSpec<ProxySection> Spec(string name, SectionKinds sections, string help, Func<Timeouts, TimeSpan, Timeouts> set) =>
        new("timeout " + name, sections, KeywordStatus.Implemented, "<time>", help, (line, section) =>
        {
            if (line.HasArguments(1, 1) && line.TryTime(0, out var value))
            {
                section.Settings = section.Settings with { Timeouts = set(section.Settings.Timeouts, value) };
            }
        });
}
