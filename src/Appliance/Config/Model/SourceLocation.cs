namespace Appliance.Config.Model;

/// <summary>Where a config element was written: file path and 1-based line (0 when it concerns the whole file).</summary>
public sealed record SourceLocation(string File, int Line)
{
    public override string ToString() => $"{File}:{Line}";
}
