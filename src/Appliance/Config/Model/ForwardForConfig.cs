using System.Net;

namespace Appliance.Config.Model;

/// <summary>
/// <c>option forwardfor [except NETWORK] [header NAME] [if-none]</c>: add the client address to
/// requests sent to servers (default header <c>X-Forwarded-For</c>), unless the client is inside
/// <see cref="Except"/>, or (with <see cref="IfNone"/>) the request already carries the header.
/// </summary>
public sealed record ForwardForConfig(IPNetwork? Except, string Header, bool IfNone)
{
    public const string DefaultHeader = "X-Forwarded-For";
}
