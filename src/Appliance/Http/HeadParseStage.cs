namespace Appliance.Http;

/// <summary>Where a head's parse stopped, so a call with more bytes resumes at the first incomplete line.</summary>
internal enum HeadParseStage : byte
{
    StartLine = 0,
    Fields,
    Complete,
    Failed,
}
