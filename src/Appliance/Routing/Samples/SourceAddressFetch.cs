namespace Appliance.Routing.Samples;

/// <summary><c>src</c>: the client's address (absent for a Unix-socket client); matched as an address, written as text.</summary>
internal sealed class SourceAddressFetch : SampleFetch
{
    public static SourceAddressFetch Instance { get; } = new();

    public override string Keyword => "src";

    public override SampleType Type => SampleType.Address;

    public override SampleScope Scope => SampleScope.Connection;

    public override ReadOnlySpan<byte> GetAddress(IRequestView request) => request.SourceAddress;

    /// <summary>The address as text (<c>%[src]</c> in a rule's value), in the shard's scratch buffer.</summary>
    public override bool TryGetValue(IRequestView request, out ReadOnlySpan<byte> value)
    {
        Span<byte> text = SampleScratch.Sample(AddressText.MaxLength);
        int length = AddressText.Format(request.SourceAddress, text);
        value = text[..length];
        return length > 0;
    }
}
