namespace Appliance.Routing.Samples;

/// <summary>The output type of a sample fetch, which decides the matching methods an ACL may use.</summary>
internal enum SampleType
{
    String,
    Integer,
    Address,
    Boolean,
}
