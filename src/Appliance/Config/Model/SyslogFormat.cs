namespace Appliance.Config.Model;

/// <summary>A <c>log</c> target's <c>format</c>: the header written before each message (HAProxy's names).</summary>
public enum SyslogFormat
{
    /// <summary><c>&lt;PRI&gt;Mmm dd hh:mm:ss tag[pid]: </c> (HAProxy's default).</summary>
    Rfc3164,
    /// <summary><c>&lt;PRI&gt;1 ISO-TIMESTAMP HOST tag PID - - </c>.</summary>
    Rfc5424,
    /// <summary><c>&lt;PRI&gt;</c> only.</summary>
    Short,
    /// <summary>The message alone.</summary>
    Raw,
}
