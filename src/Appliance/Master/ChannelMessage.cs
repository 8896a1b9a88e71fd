using System.Text;

namespace Appliance.Master;

/// <summary>One received frame: its kind, payload and the descriptors that came with it.</summary>
internal sealed class ChannelMessage(MessageKind kind, byte[] payload, int[] fds)
{
    public MessageKind Kind { get; } = kind;

    public byte[] Payload { get; } = payload;

    /// <summary>Descriptors now owned by the receiver.</summary>
    public int[] Fds { get; } = fds;

    public BinaryReader Reader() => new(new MemoryStream(Payload, writable: false), Encoding.UTF8);
}
