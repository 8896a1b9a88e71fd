namespace Appliance.IntegrationTests.Harness;

/// <summary>One captured TCP segment: ports, sequence numbers, flags (FIN 1, SYN 2, RST 4, PSH 8, ACK 16) and payload bytes.</summary>
public readonly record struct TcpSegment(int SourcePort, int DestinationPort, uint Sequence, uint Acknowledgement, byte Flags, int PayloadLength)
{
    /// <summary>An ACK that carries nothing else: no data, no SYN, FIN or RST.</summary>
    public bool IsPureAck => (Flags & 0x17) == 0x10 && PayloadLength == 0;

    public bool IsSyn => (Flags & 0x02) != 0;

    public bool IsSynAck => (Flags & 0x12) == 0x12;

    public override string ToString() =>
        $"{SourcePort}>{DestinationPort} {((Flags & 2) != 0 ? "S" : "")}{((Flags & 16) != 0 ? "A" : "")}{((Flags & 1) != 0 ? "F" : "")}{((Flags & 4) != 0 ? "R" : "")}{((Flags & 8) != 0 ? "P" : "")}[{PayloadLength}]";
}
