using Appliance.Config.Parsing;

namespace Appliance.Config.Keywords;

/// <summary>
/// One line keyword of a section: its name (one or two words, e.g. <c>timeout connect</c>, or a prefix such
/// as <c>tune.</c>), where it may appear, what it takes, and the function that parses it into the section.
/// The tables of these are the single source for parsing, "did you mean" suggestions and the keyword doc.
/// </summary>
internal sealed record KeywordSpec<TSection>(
    string Name,
    SectionKinds Sections,
    KeywordStatus Status,
    string Arguments,
    string Help,
    Action<KeywordLine, TSection>? Parse = null)
{
    /// <summary>
    /// Written in a frontend-only or backend-only section that lacks the capability: HAProxy refuses some
    /// such keywords (<c>server</c> in a frontend) and only warns about the others (<c>balance</c> in a frontend).
    /// </summary>
    public bool MisplacedIsError { get; init; }

    /// <summary>May be written <c>no KEYWORD</c> (HAProxy's inverted options).</summary>
    public bool Negatable { get; init; }

    /// <summary><see cref="Name"/> matches every keyword that starts with it (<c>tune.</c>).</summary>
    public bool IsPrefix { get; init; }

    public bool IsAllowedIn(SectionKinds kind) => (Sections & kind) != 0;
}
