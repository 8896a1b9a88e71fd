using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>A stats socket's options while its line is read; HAProxy's default level is operator.</summary>
internal sealed record StatsSocketOptions(int? Mode, RuntimeApiLevel Level)
{
    public static StatsSocketOptions Default { get; } = new(null, RuntimeApiLevel.Operator);
}
