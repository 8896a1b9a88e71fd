namespace Appliance.Routing.Samples;

/// <summary>
/// A compiled sample fetch (<c>path</c>, <c>hdr(host)</c>, <c>src</c>, …). Immutable; called from any
/// shard. String fetches answer both ways HAProxy uses them: in an ACL every value is tried
/// (<see cref="AnyValue"/>), in a sample expression one value is taken (<see cref="TryGetValue"/>).
/// </summary>
internal abstract class SampleFetch
{
    /// <summary>The keyword as written, for messages.</summary>
    public abstract string Keyword { get; }

    public abstract SampleType Type { get; }

    /// <summary>The message(s) the fetch reads; request content unless a fetch says otherwise.</summary>
    public virtual SampleScope Scope => SampleScope.Request;

    /// <summary>The single value of a string fetch (sample expressions); false when absent.</summary>
    public virtual bool TryGetValue(IRequestView request, out ReadOnlySpan<byte> value)
    {
        value = default;
        return false;
    }

    /// <summary>Offers every value of a string fetch to <paramref name="sink"/> until it accepts one.</summary>
    public virtual bool AnyValue(IRequestView request, IStringSampleSink sink) =>
        TryGetValue(request, out ReadOnlySpan<byte> value) && sink.Accept(value);

    public virtual bool TryGetInteger(IRequestView request, out long value)
    {
        value = 0;
        return false;
    }

    /// <summary>The address of an address fetch; empty when absent.</summary>
    public virtual ReadOnlySpan<byte> GetAddress(IRequestView request) => default;

    public virtual bool GetBoolean(IRequestView request) => false;
}
