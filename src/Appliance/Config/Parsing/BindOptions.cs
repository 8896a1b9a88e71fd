namespace Appliance.Config.Parsing;

/// <summary>A bind line's options while it is read; they apply to every address of the line.</summary>
internal sealed record BindOptions(bool V6Only, bool AcceptProxy = false)
{
    public static BindOptions Default { get; } = new(V6Only: false);
}
