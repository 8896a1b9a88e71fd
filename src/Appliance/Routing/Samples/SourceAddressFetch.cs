namespace Appliance.Routing.Samples;

/// <summary><c>src</c>: the client's address (absent for a Unix-socket client).</summary>
internal sealed class SourceAddressFetch : SampleFetch
{
    public static SourceAddressFetch Instance { get; } = new();

    public override string Keyword => "src";

    public override SampleType Type => SampleType.Address;

    public override ReadOnlySpan<byte> GetAddress(IRequestView request) => request.SourceAddress;
}
