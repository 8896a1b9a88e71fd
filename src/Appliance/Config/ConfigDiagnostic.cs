using Appliance.Config.Model;

namespace Appliance.Config;

/// <summary>
/// One config error or warning with its location, printed as
/// <c>FILE:LINE: section 'NAME': keyword 'KW': message</c>.
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
        text.Append(Location.File).Append(':').Append(Location.Line).Append(": ");
        if (IsWarning) text.Append("warning: ");
        if (Section is not null) text.Append("section '").Append(Section).Append("': ");
        if (Keyword is not null) text.Append("keyword '").Append(Keyword).Append("': ");
        text.Append(Message);
        return text.ToString();
    }
}
