namespace Appliance.Config.Model;

/// <summary>Where a <c>log</c> line sends its messages.</summary>
public enum LogTargetKind
{
    Stdout,
    Stderr,
    /// <summary>A syslog server over UDP (<c>ADDR[:PORT]</c>, <c>udp@ADDR[:PORT]</c>; port 514 by default).</summary>
    Udp,
    /// <summary>A local syslog datagram socket (<c>/dev/log</c>, <c>unix@PATH</c>).</summary>
    UnixDatagram,
}
