using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>Applies one option to an immutable target and returns the updated target; errors go to the line.</summary>
internal delegate TTarget WordOptionApply<TTarget>(TTarget target, string argument, KeywordLine line);

/// <summary>
/// An option that follows a keyword's fixed arguments (<c>check</c>, <c>inter 2s</c> on a server line,
/// <c>v6only</c> on a bind line): a name and a fixed number of value words (0 or 1).
/// </summary>
internal sealed record WordOption<TTarget>(
    string Name,
    int ArgumentCount,
    KeywordStatus Status,
    string Arguments,
    string Help,
    WordOptionApply<TTarget>? Apply = null);
