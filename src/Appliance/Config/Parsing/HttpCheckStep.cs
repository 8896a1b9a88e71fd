namespace Appliance.Config.Parsing;

/// <summary>
/// The last step an <c>http-check</c> line added to a section's rule set. HAProxy's rules run in file order
/// (connect, send, expect…); one connection with one request is supported, so a step may not come after a
/// later one.
/// </summary>
internal enum HttpCheckStep
{
    None,
    Connect,
    Send,
    Expect,
}
