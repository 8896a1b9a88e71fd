namespace Appliance.Config.Model;

/// <summary>
/// The <c>timeout</c> keywords of a section; null means "not set" (inherit from defaults, then the
/// engine's built-in fallback). Values are kept as written so a reload can diff them.
/// </summary>
public sealed record Timeouts(
    TimeSpan? Connect = null,
    TimeSpan? Client = null,
    TimeSpan? Server = null,
    TimeSpan? Check = null,
    TimeSpan? Queue = null,
    TimeSpan? HttpRequest = null,
    TimeSpan? HttpKeepAlive = null,
    TimeSpan? Tunnel = null,
    TimeSpan? ClientFin = null,
    TimeSpan? ServerFin = null)
{
    public static Timeouts None { get; } = new();

    /// <summary>Each value of this set wins; unset ones fall back to <paramref name="fallback"/>.</summary>
    public Timeouts Over(Timeouts fallback) => new(
        Connect ?? fallback.Connect,
        Client ?? fallback.Client,
        Server ?? fallback.Server,
        Check ?? fallback.Check,
        Queue ?? fallback.Queue,
        HttpRequest ?? fallback.HttpRequest,
        HttpKeepAlive ?? fallback.HttpKeepAlive,
        Tunnel ?? fallback.Tunnel,
        ClientFin ?? fallback.ClientFin,
        ServerFin ?? fallback.ServerFin);
}
