namespace Appliance.Forwarding.Http;

/// <summary>What a relay did during one pump, for inactivity timeouts.</summary>
[Flags]
internal enum PumpActivity
{
    None = 0,
    Read = 1,
    Wrote = 2,
}
