namespace Appliance.Balancing;

/// <summary>What health checks concluded about a server. Servers without <c>check</c> stay <see cref="Up"/>.</summary>
public enum OperationalState
{
    Up,
    Down,
}
