namespace Appliance.Health;

/// <summary>What one check result did to a server's health.</summary>
public enum HealthTransition
{
    None,
    WentUp,
    WentDown,
}
