using System.Text;
using System.Text.RegularExpressions;
using Appliance.Config.Model;

namespace Appliance.Health;

/// <summary>
/// One <c>http-check expect</c> line, ready to test responses: its regular expression compiled and its
/// text encoded once per backend. Stateless afterwards, so concurrent checks of several servers share it.
/// </summary>
internal sealed class HttpExpectationMatcher
{
    /// <summary>
    /// Bounds one regular expression evaluation: a pathological pattern must cost one failed check, not a
    /// thread. A 16 KiB body takes microseconds with any sane pattern, so a second is far from normal use.
    /// </summary>
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex? _regex;
    private readonly byte[]? _text;

    public HttpExpectationMatcher(HttpCheckExpectation expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        Expectation = expectation;
        if (expectation.Match is HttpCheckMatch.StatusRegex or HttpCheckMatch.BodyRegex)
        {
            _regex = new Regex(expectation.Pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        if (expectation.Match == HttpCheckMatch.BodyText) _text = Encoding.UTF8.GetBytes(expectation.Pattern);
    }

    public HttpCheckExpectation Expectation { get; }

    public bool IsAboutBody => Expectation.IsAboutBody;

    /// <summary>Whether the status matches (before <c>!</c> is applied). <paramref name="digits"/> are the three status digits as sent.</summary>
    public bool MatchesStatus(int status, ReadOnlySpan<byte> digits) => Expectation.Match == HttpCheckMatch.StatusCodes
        ? Expectation.ListsStatus(status)
        : _regex!.IsMatch(Encoding.ASCII.GetString(digits));

    /// <summary>
    /// Whether the body matches (before <c>!</c> is applied): contains the text byte for byte, or matches
    /// the expression once read as UTF-8. May throw <see cref="RegexMatchTimeoutException"/>.
    /// </summary>
    public bool MatchesBody(ReadOnlySpan<byte> body) => _text is not null
        ? body.IndexOf(_text) >= 0
        : _regex!.IsMatch(Encoding.UTF8.GetString(body));
}
