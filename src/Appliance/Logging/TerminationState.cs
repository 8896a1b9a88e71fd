using Appliance.Forwarding;

namespace Appliance.Logging;

/// <summary>
/// HAProxy's session termination state (configuration.txt 8.5): the first character says what ended
/// the session, the second in which phase it was. Built from the session's <see cref="EndReason"/>.
/// </summary>
internal static class TerminationState
{
    /// <summary>Phase characters: waiting for the Request, in the Queue, Connecting, waiting for Headers, Data.</summary>
    public const byte Request = (byte)'R', Queue = (byte)'Q', Connect = (byte)'C', Headers = (byte)'H', Data = (byte)'D';

    /// <summary>
    /// The two characters for a session that ended for <paramref name="reason"/> in <paramref name="phase"/>.
    /// <paramref name="local"/>: the proxy answered the request itself (redirect, return, stats page).
    /// </summary>
    public static (byte Cause, byte Phase) Of(EndReason reason, byte phase, bool local)
    {
        if (local && reason is EndReason.Completed or EndReason.None) return ((byte)'L', Request);
        return reason switch
        {
            EndReason.Completed or EndReason.None => ((byte)'-', (byte)'-'),
            EndReason.ClientAborted => ((byte)'C', phase),
            EndReason.ServerAborted => ((byte)'S', phase),
            // No server to connect to, or every attempt refused: HAProxy's "SC".
            EndReason.NoServer or EndReason.ConnectFailed => ((byte)'S', Connect),
            EndReason.ClientTimeout => ((byte)'c', phase),
            EndReason.ServerTimeout => ((byte)'s', phase),
            EndReason.QueueTimeout => ((byte)'s', Queue),
            EndReason.ResourceExhausted => ((byte)'R', phase),
            // Refused by the proxy: an invalid request, or a deny rule.
            EndReason.BadRequest or EndReason.Denied => ((byte)'P', phase),
            EndReason.Shutdown => ((byte)'K', phase),
            _ => ((byte)'I', phase),
        };
    }
}
