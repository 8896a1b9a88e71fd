using Appliance.Config.Model;
using Appliance.Routing.Maps;
using Appliance.Routing.Patterns;
using Appliance.Routing.Samples;

namespace Appliance.Routing.Acls;

/// <summary>
/// Compiles one ACL expression — <c>FETCH [FLAGS] [PATTERNS…]</c> of an <c>acl</c> line or an
/// anonymous <c>{ … }</c> — into an <see cref="AclTest"/>. Flags follow HAProxy: they come first and
/// end at the first word not starting with '-' or at <c>--</c>; <c>-i</c> applies to the patterns and
/// files after it; <c>-m</c> must precede any <c>-f</c>; <c>-f FILE</c> may repeat; <c>-n</c> and
/// <c>-u ID</c> are accepted and ignored; <c>-M</c> reads the following files as maps (keys only).
/// </summary>
internal static class AclCompiler
{
    /// <summary>
    /// Returns the test, or null with <paramref name="error"/> set. <paramref name="warning"/> is set
    /// for an ACL that can never match because it has no pattern.
    /// </summary>
    public static AclTest? TryCompile(
        string fetchWord,
        IReadOnlyList<string> arguments,
        SourceLocation location,
        MapRegistry maps,
        out string? error,
        out string? warning)
    {
        warning = null;
        if (!SampleCall.TryParseExpression(fetchWord, out List<SampleCall> calls, out error)) return null;
        FetchDefinition? definition = FetchKeywords.TryCreateForAcl(calls[0], out error);
        if (definition is null) return null;
        var converters = new SampleConverter[calls.Count - 1];
        for (int i = 1; i < calls.Count; i++)
        {
            SampleConverter? converter = ConverterKeywords.TryCreate(calls[i], location.File, maps, out error);
            if (converter is null) return null;
            converters[i - 1] = converter;
        }
        if (converters.Length > 0 && definition.Fetch.Type != SampleType.String)
        {
            error = $"converters apply to string fetches only, not to '{calls[0].Name}'";
            return null;
        }

        MatchMethod method = definition.DefaultMethod;
        // The method ACL's implicit case-insensitivity belongs to its default match, not to "-m".
        bool implicitIgnoreCase = definition.IgnoreCase;
        bool ignoreCase = false;
        bool readAsMap = false;
        bool explicitEnd = false;
        bool loadedFile = false;
        var words = new List<(string Text, bool IgnoreCase)>();
        int index = 0;
        while (index < arguments.Count && arguments[index].StartsWith('-'))
        {
            string flag = arguments[index];
            if (flag == "--")
            {
                explicitEnd = true;
                index++;
                break;
            }
            switch (flag)
            {
                case "-i":
                    ignoreCase = true;
                    break;
                case "-n":
                    break;
                case "-M":
                    readAsMap = true;
                    break;
                case "-u":
                    if (++index >= arguments.Count) return Fail("missing unique id after '-u'", out error);
                    break;
                case "-m":
                    if (++index >= arguments.Count) return Fail("missing matching method after '-m'", out error);
                    if (loadedFile) return Fail("'-m' must only be specified before patterns and files in parsing ACL expression", out error);
                    MatchMethod? named = ParseMethod(arguments[index]);
                    if (named is null) return Fail($"unknown matching method '{arguments[index]}' when parsing ACL expression", out error);
                    method = named.Value;
                    implicitIgnoreCase = false;
                    break;
                case "-f":
                    if (++index >= arguments.Count) return Fail("missing file name after '-f'", out error);
                    string path = PatternFileReader.ResolvePath(location.File, arguments[index]);
                    List<string>? lines = PatternFileReader.ReadPatterns(path, out string? readError);
                    if (lines is null) return Fail($"failed to open pattern file '{path}': {readError}", out error);
                    foreach (string line in lines)
                    {
                        words.Add((readAsMap ? PatternFileReader.ParseMapLine(line)?.Key ?? line : line, ignoreCase));
                    }
                    loadedFile = true;
                    break;
                default:
                    return Fail($"'{flag}' is not a valid ACL option. Please use '--' before any pattern beginning with a '-'", out error);
            }
            index++;
        }
        for (; index < arguments.Count; index++) words.Add((arguments[index], ignoreCase));

        if (!Compatible(definition.Fetch.Type, method))
        {
            return Fail($"matching method '{MethodName(method)}' cannot be used with fetch '{calls[0].Name}' ({TypeName(definition.Fetch.Type)} sample)", out error);
        }

        var patterns = new List<StringPattern>();
        var regexes = new List<RegexPattern>();
        var ranges = new List<IntegerRange>();
        var addresses = new List<AddressPattern>();
        string op = "eq";
        foreach (var (text, caseless) in words)
        {
            switch (method)
            {
                case MatchMethod.Found or MatchMethod.Bool:
                    break;
                case MatchMethod.Int or MatchMethod.Len:
                    if (IntegerRange.IsOperator(text))
                    {
                        op = text;
                        break;
                    }
                    if (!IntegerRange.TryParse(text, op, out IntegerRange range, out error)) return null;
                    ranges.Add(range);
                    break;
                case MatchMethod.Ip:
                    AddressPattern? address = AddressPattern.TryParse(text, out error);
                    if (address is null) return null;
                    addresses.Add(address);
                    break;
                case MatchMethod.Reg:
                    RegexPattern? regex = RegexPattern.TryCreate(text, caseless || implicitIgnoreCase, regexes.Count, out error);
                    if (regex is null) return null;
                    regexes.Add(regex);
                    break;
                default:
                    patterns.Add(StringPattern.From(text, caseless || implicitIgnoreCase, patterns.Count));
                    break;
            }
        }

        bool needsPatterns = method is not (MatchMethod.Found or MatchMethod.Bool);
        if (needsPatterns && words.Count == 0 && !explicitEnd && !loadedFile)
        {
            warning = "no pattern to match against was provided, so this ACL will never match; add '--' if this is intended, or use '-m found' to test for existence";
        }

        StringPatternSet? strings = method switch
        {
            MatchMethod.Str or MatchMethod.Beg or MatchMethod.End or MatchMethod.Sub or MatchMethod.Dir or MatchMethod.Dom =>
                new StringPatternSet(method, patterns, stopAtFirst: true),
            MatchMethod.Reg => new StringPatternSet(method, [], regexes, stopAtFirst: true),
            _ => null,
        };
        error = null;
        return new AclTest(definition.Fetch, converters, method, patterns, strings, [.. ranges], [.. addresses], location);
    }

    private static AclTest? Fail(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static MatchMethod? ParseMethod(string name) => name switch
    {
        "found" => MatchMethod.Found,
        "bool" => MatchMethod.Bool,
        "int" => MatchMethod.Int,
        "ip" => MatchMethod.Ip,
        "len" => MatchMethod.Len,
        "str" => MatchMethod.Str,
        "beg" => MatchMethod.Beg,
        "end" => MatchMethod.End,
        "sub" => MatchMethod.Sub,
        "dir" => MatchMethod.Dir,
        "dom" => MatchMethod.Dom,
        "reg" => MatchMethod.Reg,
        _ => null,
    };

    internal static string MethodName(MatchMethod method) => method.ToString().ToLowerInvariant();

    private static string TypeName(SampleType type) => type switch
    {
        SampleType.String => "string",
        SampleType.Integer => "integer",
        SampleType.Address => "address",
        _ => "boolean",
    };

    /// <summary>HAProxy's type/method matrix, restricted to what is implemented here.</summary>
    private static bool Compatible(SampleType type, MatchMethod method) => type switch
    {
        SampleType.String => method is MatchMethod.Found or MatchMethod.Len or MatchMethod.Str or MatchMethod.Beg
            or MatchMethod.End or MatchMethod.Sub or MatchMethod.Dir or MatchMethod.Dom or MatchMethod.Reg,
        SampleType.Integer => method is MatchMethod.Found or MatchMethod.Int or MatchMethod.Bool,
        SampleType.Address => method is MatchMethod.Found or MatchMethod.Ip,
        _ => method is MatchMethod.Found or MatchMethod.Bool or MatchMethod.Int,
    };
}
