namespace Appliance.Routing.Samples;

/// <summary><c>always_true</c> / <c>always_false</c> (behind the predefined <c>TRUE</c> and <c>FALSE</c> ACLs).</summary>
internal sealed class ConstantFetch : SampleFetch
{
    private readonly bool _value;

    private ConstantFetch(string keyword, bool value)
    {
        Keyword = keyword;
        _value = value;
    }

    public static ConstantFetch True { get; } = new("always_true", true);

    public static ConstantFetch False { get; } = new("always_false", false);

    public override string Keyword { get; }

    public override SampleType Type => SampleType.Boolean;

    public override SampleScope Scope => SampleScope.Connection;

    public override bool GetBoolean(IRequestView request) => _value;
}
