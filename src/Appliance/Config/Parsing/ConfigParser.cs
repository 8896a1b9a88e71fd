using Appliance.Config.Keywords;
using Appliance.Config.Lexing;
using Appliance.Config.Model;
using Appliance.Config.Values;

namespace Appliance.Config.Parsing;

/// <summary>
/// Walks the lexed lines, opens sections, copies inherited settings when a proxy starts (as HAProxy does,
/// so a later <c>defaults</c> never changes an earlier proxy), and hands each keyword line to its section's
/// keyword table. Every problem is reported and parsing goes on with the next line.
/// </summary>
internal sealed class ConfigParser
{
    private const string SectionList = "global, defaults, frontend, backend or listen";

    private readonly string _file;
    private readonly DiagnosticBag _diagnostics;
    private readonly ParsedConfig _result = new();
    private readonly Dictionary<string, ProxySection> _namedDefaults = new(StringComparer.Ordinal);

    private bool _inGlobal;
    private ProxySection? _proxy;
    private ProxySection? _lastDefaults;

    /// <summary>Inside a section type that is skipped whole (or an unknown one): its lines are not reported.</summary>
    private bool _skipping;

    private ConfigParser(string file, DiagnosticBag diagnostics)
    {
        _file = file;
        _diagnostics = diagnostics;
    }

    public static ParsedConfig Parse(IReadOnlyList<ConfigLine> lines, string file, DiagnosticBag diagnostics)
    {
        var parser = new ConfigParser(file, diagnostics);
        foreach (var line in lines) parser.ParseLine(line);
        return parser._result;
    }

    private string? CurrentSection => _inGlobal ? "global" : _proxy?.DisplayName;

    private SourceLocation At(ConfigLine line) => new(_file, line.Number);

    private void ParseLine(ConfigLine line)
    {
        string? first = line.Words.Length > 0 ? line.Words[0] : null;
        if (line.Error is not null)
        {
            bool opensSection = first is not null && SectionKeywords.IsSupported(first);
            _diagnostics.Error(At(line), opensSection ? null : CurrentSection, first, line.Error);
            // A broken section header must not leave its lines to be read as part of the section above.
            if (opensSection) EnterSkippedSection();
            return;
        }
        string word = first!;
        if (SectionKeywords.IsSupported(word))
        {
            StartSection(line);
            return;
        }
        if (SectionKeywords.IsIgnored(word))
        {
            EnterSkippedSection();
            _diagnostics.Warning(At(line), null, word, "section type not implemented yet, ignored with its contents");
            return;
        }
        if (word.StartsWith('.'))
        {
            _diagnostics.Error(At(line), CurrentSection, word, "conditional blocks and '.' directives are not supported yet");
            return;
        }
        if (_skipping) return;
        if (_inGlobal) Dispatch(GlobalKeywords.Table, SectionKinds.Global, _result.Global, line);
        else if (_proxy is not null) Dispatch(ProxyKeywords.Table, _proxy.Kind, _proxy, line);
        else ReportOutsideSection(line);
    }

    private void EnterSkippedSection()
    {
        _inGlobal = false;
        _proxy = null;
        _skipping = true;
    }

    private void ReportOutsideSection(ConfigLine line)
    {
        string word = line.Words[0];
        if (line.IsIndented || GlobalKeywords.Table.Knows(word) || ProxyKeywords.Table.Knows(word))
        {
            _diagnostics.Error(At(line), null, word, $"keyword outside any section (a section starts with {SectionList})");
            return;
        }
        ReportUnknownSection(line);
    }

    private void ReportUnknownSection(ConfigLine line)
    {
        string word = line.Words[0];
        _diagnostics.Error(At(line), null, word, KeywordSuggestion.WithSuggestion("unknown section", word, SectionKeywords.All));
        // The lines that follow belong to the unknown section; reporting each of them would bury the real mistake.
        EnterSkippedSection();
    }

    private void Dispatch<TSection>(KeywordTable<TSection> table, SectionKinds kind, TSection section, ConfigLine line)
    {
        var words = line.Words;
        bool negated = words[0] == "no" && words.Length > 1;
        int start = negated ? 1 : 0;
        var spec = table.Find(words, start, out int nameWords);
        if (spec is null)
        {
            ReportUnknownKeyword(table, kind, line, start);
            return;
        }
        string keyword = spec.IsPrefix ? words[start] : spec.Name;
        string usage = spec.Arguments.Length == 0 ? keyword : keyword + " " + spec.Arguments;
        var keywordLine = new KeywordLine(words, start + nameWords, keyword, usage, At(line), CurrentSection, _diagnostics, negated);
        if (negated && !spec.Negatable)
        {
            keywordLine.Error("cannot be negated with 'no'");
            return;
        }
        if (!spec.IsAllowedIn(kind))
        {
            ReportMisplaced(spec.MisplacedIsError, kind, keywordLine);
            return;
        }
        switch (spec.Status)
        {
            case KeywordStatus.Ignored:
                keywordLine.WarnOnce((kind == SectionKinds.Global ? "global " : "proxy ") + keyword, "not implemented yet, ignored");
                break;
            case KeywordStatus.Unsupported:
                keywordLine.Error($"not supported yet ({spec.Help})");
                break;
            default:
                spec.Parse!(keywordLine, section);
                break;
        }
    }

    private static void ReportMisplaced(bool isError, SectionKinds kind, KeywordLine line)
    {
        if (kind == SectionKinds.Defaults)
        {
            line.Error("not allowed in a defaults section");
            return;
        }
        // Only frontend-only and backend-only sections get here: a listen section has both capabilities.
        string message = kind == SectionKinds.Frontend
            ? "a frontend has no backend capability"
            : "a backend has no frontend capability";
        if (isError) line.Error($"not allowed: {message}");
        else line.Warning($"ignored: {message}");
    }

    private void ReportUnknownKeyword<TSection>(KeywordTable<TSection> table, SectionKinds kind, ConfigLine line, int start)
    {
        var words = line.Words;
        string word = words[start];
        var location = At(line);
        if (table.IsFamily(word))
        {
            var members = table.FamilyMembers(word, kind).ToList();
            // Listing a long family (the ~50 options) in one message helps nobody; the keyword doc has them.
            string expected = members.Count <= 12 ? $"expected one of: {string.Join(", ", members)}" : $"usage: {word} <name>";
            string message = start + 1 >= words.Length
                ? $"missing argument ({expected})"
                : KeywordSuggestion.WithSuggestion($"unknown {word} '{words[start + 1]}'", words[start + 1], members);
            _diagnostics.Error(location, CurrentSection, word, message);
            return;
        }
        bool inGlobal = kind == SectionKinds.Global;
        if (inGlobal ? ProxyKeywords.Table.Knows(word) : GlobalKeywords.Table.Knows(word))
        {
            string message = inGlobal
                ? "not allowed in the global section (it is a proxy keyword)"
                : "only allowed in the global section";
            _diagnostics.Error(location, CurrentSection, word, message);
            return;
        }
        var keywordGuess = KeywordSuggestion.Closest(word, table.FirstWords(kind));
        if (!line.IsIndented && start == 0 && keywordGuess is null && KeywordSuggestion.Closest(word, SectionKeywords.All) is not null)
        {
            ReportUnknownSection(line);
            return;
        }
        string unknown = keywordGuess is null ? "unknown keyword" : $"unknown keyword; did you mean '{keywordGuess}'?";
        _diagnostics.Error(location, CurrentSection, word, unknown);
    }

    private void StartSection(ConfigLine line)
    {
        _skipping = false;
        _inGlobal = false;
        _proxy = null;
        string keyword = line.Words[0];
        switch (keyword)
        {
            case "global":
                _inGlobal = true;
                if (line.Words.Length > 1) _diagnostics.Error(At(line), "global", keyword, $"unexpected argument '{line.Words[1]}'");
                break;
            case "defaults":
                StartDefaults(line);
                break;
            default:
                StartProxy(line, keyword switch
                {
                    "frontend" => SectionKinds.Frontend,
                    "backend" => SectionKinds.Backend,
                    _ => SectionKinds.Listen,
                });
                break;
        }
    }

    /// <summary><c>defaults [NAME] [from OTHER]</c>. Without <c>from</c> a defaults section starts from HAProxy's initial values.</summary>
    private void StartDefaults(ConfigLine line)
    {
        var words = line.Words;
        string? name = words.Length > 1 && words[1] != "from" ? words[1] : null;
        int fromIndex = name is null ? 1 : 2;
        string section = name ?? "defaults";
        ProxySection? from = ReadFrom(line, fromIndex, section, "defaults", out _);
        var settings = from?.Settings ?? ProxySettings.Initial;
        var defaults = new ProxySection(SectionKinds.Defaults, name, At(line), settings);
        if (from is not null) InheritRules(line, defaults, from);
        if (name is not null)
        {
            string? invalid = ProxyName.Check(name);
            if (invalid is not null) _diagnostics.Error(At(line), section, "defaults", invalid);
            if (_namedDefaults.TryGetValue(name, out var earlier))
            {
                _diagnostics.Error(At(line), section, "defaults", $"defaults section '{name}' is already declared at {earlier.Location}");
            }
            else
            {
                _namedDefaults.Add(name, defaults);
            }
        }
        _result.Defaults.Add(defaults);
        _lastDefaults = defaults;
        _proxy = defaults;
    }

    /// <summary><c>frontend|backend|listen NAME [from DEFAULTS]</c>; without <c>from</c>, the last defaults section above applies.</summary>
    private void StartProxy(ConfigLine line, SectionKinds kind)
    {
        var words = line.Words;
        string keyword = words[0];
        if (words.Length < 2)
        {
            _diagnostics.Error(At(line), null, keyword, $"missing name; usage: {keyword} <name> [from <defaults>]");
            EnterSkippedSection();
            return;
        }
        string name = words[1];
        string? invalid = ProxyName.Check(name);
        if (invalid is not null) _diagnostics.Error(At(line), name, keyword, invalid);
        ProxySection? from = ReadFrom(line, 2, name, keyword, out bool unknown);
        // An unknown 'from' was reported; the proxy then starts from HAProxy's initial values.
        ProxySection? defaults = unknown ? null : from ?? _lastDefaults;
        _proxy = new ProxySection(kind, name, At(line), defaults?.Settings ?? ProxySettings.Initial);
        if (defaults is not null) InheritRules(line, _proxy, defaults);
        _result.Proxies.Add(_proxy);
    }

    /// <summary>
    /// A section inheriting a defaults section that has <c>http-request</c>/<c>http-response</c> rules
    /// runs those rules before its own. HAProxy allows that for frontends or for backends, not both and
    /// not for listen or defaults sections, so that the rules have one place to run.
    /// </summary>
    private void InheritRules(ConfigLine line, ProxySection section, ProxySection defaults)
    {
        if (!defaults.HasHttpRules) return;
        string because = $"defaults section '{defaults.DisplayName}' (declared at {defaults.Location}) because it defines http-request/http-response rules";
        string? error = section.Kind switch
        {
            SectionKinds.Defaults => $"a defaults section cannot inherit from {because}",
            SectionKinds.Listen => $"a listen section cannot inherit from {because}; use a frontend and a backend",
            _ when defaults.RulesInheritedBy != SectionKinds.None && defaults.RulesInheritedBy != section.Kind =>
                $"frontends and backends cannot share {because}, and a {(defaults.RulesInheritedBy == SectionKinds.Frontend ? "frontend" : "backend")} inherits it already",
            _ => null,
        };
        if (error is not null)
        {
            _diagnostics.Error(At(line), section.DisplayName, section.KindName, error);
            return;
        }
        defaults.RulesInheritedBy = section.Kind;
        section.RulesDefaults = defaults;
    }

    /// <summary>
    /// Reads an optional <c>from NAME</c> at <paramref name="index"/>; returns the named defaults section,
    /// or null when there is no <c>from</c> or it cannot be honoured (already reported).
    /// <paramref name="unknown"/> tells that the name was not found, so HAProxy's initial values apply.
    /// </summary>
    private ProxySection? ReadFrom(ConfigLine line, int index, string section, string keyword, out bool unknown)
    {
        unknown = false;
        var words = line.Words;
        if (words.Length <= index) return null;
        if (words[index] != "from")
        {
            _diagnostics.Error(At(line), section, keyword, $"unexpected argument '{words[index]}' (expected 'from <defaults>')");
            return null;
        }
        if (words.Length == index + 1)
        {
            _diagnostics.Error(At(line), section, keyword, "missing defaults section name after 'from'");
            return null;
        }
        if (words.Length > index + 2)
        {
            _diagnostics.Error(At(line), section, keyword, $"unexpected argument '{words[index + 2]}'");
        }
        string from = words[index + 1];
        if (_namedDefaults.TryGetValue(from, out var defaults)) return defaults;
        _diagnostics.Error(At(line), section, keyword, KeywordSuggestion.WithSuggestion(
            $"unknown defaults section '{from}' (it must be declared above)", from, _namedDefaults.Keys));
        unknown = true;
        return null;
    }
}
