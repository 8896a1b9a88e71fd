namespace Appliance.Config.Model;

/// <summary>
/// One <c>http-check expect [!] MATCH PATTERN</c> line. With <see cref="Inverted"/> (<c>!</c>) the check
/// passes only when the match fails.
/// </summary>
/// <param name="Match">What is tested.</param>
/// <param name="Pattern">As written: the code list, the text or the regular expression.</param>
/// <param name="Inverted">Written with <c>!</c>.</param>
/// <param name="StatusCodes">For <see cref="HttpCheckMatch.StatusCodes"/>: <see cref="Pattern"/> parsed; empty otherwise.</param>
public sealed record HttpCheckExpectation(HttpCheckMatch Match, string Pattern, bool Inverted, ValueList<StatusCodeRange> StatusCodes)
{
    public bool IsAboutBody => Match is HttpCheckMatch.BodyText or HttpCheckMatch.BodyRegex;

    /// <summary>For <see cref="HttpCheckMatch.StatusCodes"/>: whether <paramref name="status"/> is listed.</summary>
    public bool ListsStatus(int status)
    {
        foreach (var range in StatusCodes)
        {
            if (range.Contains(status)) return true;
        }
        return false;
    }
}
