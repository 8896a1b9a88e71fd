using Appliance.Config.Model;

namespace Appliance.Config;

/// <summary>
/// One config error or warning with its location, printed as
/// <c>FILE:LINE: section 'NAME': keyword 'KW': message</c> (warnings add <c>warning: </c> after the
/// location; section and keyword are left out when the problem has none, e.g. an unreadable file).
/// </summary>
public sealed record ConfigDiagnostic(
    SourceLocation Location,
    string? Section,
    string? Keyword,
    string Message,
    bool IsWarning = false)
{
    public override string ToString()
    {
        var text = new System.Text.StringBuilder();
        text.Append(Location.File);
        // Line 0 means the whole file (it could not be read), which has no line to point at.
        if (Location.Line > 0) text.Append(':').Append(Location.Line);
        text.Append(": ");
        if (IsWarning) text.Append("warning: ");
        if (Section is not null) text.Append("section '").Append(Section).Append("': ");
        if (Keyword is not null) text.Append("keyword '").Append(Keyword).Append("': ");
        text.Append(Message);
        return text.ToString();
    }
}
