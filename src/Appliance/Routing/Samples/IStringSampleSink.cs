namespace Appliance.Routing.Samples;

/// <summary>
/// Receives the values of a multi-valued string fetch one at a time (an ACL test): returning true
/// stops the walk. An interface implemented by the long-lived test object rather than a delegate, so
/// evaluation allocates no closure.
/// </summary>
internal interface IStringSampleSink
{
    bool Accept(ReadOnlySpan<byte> value);
}
