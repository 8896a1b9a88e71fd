namespace Appliance.Config.Model;

/// <summary>Runtime API privilege levels, lowest first (HAProxy's <c>level</c> keyword).</summary>
public enum RuntimeApiLevel
{
    User,
    Operator,
    Admin,
}
