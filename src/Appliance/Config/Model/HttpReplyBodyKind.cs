namespace Appliance.Config.Model;

/// <summary>What an <see cref="HttpReplyConfig"/> sends.</summary>
public enum HttpReplyBodyKind
{
    /// <summary>Status line and headers only (<c>return</c> without a payload).</summary>
    Empty,
    /// <summary><c>default-errorfiles</c>: the proxy's error page for the status (an <c>errorfile</c> or the built-in one).</summary>
    ProxyErrorPage,
    /// <summary><c>errorfile FILE</c>: a whole HTTP response read from a file.</summary>
    ErrorFile,
    /// <summary><c>string S</c> or <c>file F</c>: the body, sent with Content-Type and Content-Length.</summary>
    Payload,
}
