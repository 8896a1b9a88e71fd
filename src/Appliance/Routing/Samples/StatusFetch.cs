namespace Appliance.Routing.Samples;

/// <summary>
/// <c>status</c>: the response status code. It exists only when the view being evaluated is a
/// response (an <c>http-response</c> condition); see <see cref="SampleScope"/>.
/// </summary>
internal sealed class StatusFetch : SampleFetch
{
    public static StatusFetch Instance { get; } = new();

    public override string Keyword => "status";

    public override SampleType Type => SampleType.Integer;

    public override SampleScope Scope => SampleScope.Response;

    public override bool TryGetInteger(IRequestView request, out long value)
    {
        // A type test, not an allocation: a response rule's view implements both interfaces.
        if (request is IResponseView response)
        {
            value = response.StatusCode;
            return true;
        }
        value = 0;
        return false;
    }
}
