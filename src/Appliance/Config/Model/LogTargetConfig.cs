using System.Net;

namespace Appliance.Config.Model;

/// <summary>
/// One <c>log TARGET [len N] [format F] FACILITY [LEVEL [MINLEVEL]]</c> line. Traffic logs are emitted at
/// level <c>info</c>: a target whose <see cref="Level"/> is below info receives none of them.
/// </summary>
/// <param name="Endpoint">The syslog server for <see cref="LogTargetKind.Udp"/>; null otherwise.</param>
/// <param name="Path">The socket path for <see cref="LogTargetKind.UnixDatagram"/>; null otherwise.</param>
/// <param name="Facility">Syslog facility number (local0 = 16).</param>
/// <param name="Level">Most verbose severity sent (info = 6, the default: everything).</param>
/// <param name="MaxLength">Longest message sent, header included (HAProxy's default 1024).</param>
public sealed record LogTargetConfig(
    LogTargetKind Kind,
    IPEndPoint? Endpoint,
    string? Path,
    int Facility,
    int Level,
    SyslogFormat Format,
    int MaxLength,
    SourceLocation Location)
{
    public const int DefaultMaxLength = 1024;

    /// <summary>Syslog severity of traffic logs (HAProxy logs them at info).</summary>
    public const int InfoLevel = 6;

    public override string ToString() => Kind switch
    {
        LogTargetKind.Stdout => "stdout",
        LogTargetKind.Stderr => "stderr",
        LogTargetKind.Udp => Endpoint!.ToString(),
        _ => Path!,
    };
}
