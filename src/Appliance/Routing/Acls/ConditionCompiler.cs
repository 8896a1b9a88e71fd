using Appliance.Config.Model;
using Appliance.Routing.Maps;
using Appliance.Routing.Samples;

namespace Appliance.Routing.Acls;

/// <summary>
/// Compiles the words of an <c>if</c>/<c>unless</c> condition: ACL names (the frontend's, then the
/// predefined ones), <c>!</c> (alone or glued, each one toggling), <c>or</c>/<c>||</c> between
/// suites, and anonymous ACLs <c>{ FETCH ARGS… }</c>. As in HAProxy, a named ACL must be declared
/// before the rule that uses it; lines added to it later still count. Shared by <c>use_backend</c>
/// and the <c>http-request</c>/<c>http-response</c> rules: the caller says which messages the
/// condition can see, and fetches of the other one are dropped with a warning (they never match).
/// </summary>
internal sealed class ConditionCompiler
{
    private readonly IReadOnlyDictionary<string, NamedAcl> _named;
    private readonly MapRegistry _maps;
    private readonly Dictionary<string, Acl> _predefined = new(StringComparer.Ordinal);
    private readonly Dictionary<(Acl, SampleScope), Acl> _restricted = new();

    public ConditionCompiler(IReadOnlyDictionary<string, NamedAcl> named, MapRegistry maps)
    {
        _named = named;
        _maps = maps;
    }

    /// <summary>Returns the condition, or null after adding at least one message to <paramref name="errors"/>.</summary>
    /// <param name="visible">What the condition can read: requests for <c>use_backend</c> and
    /// <c>http-request</c>, responses for <c>http-response</c>.</param>
    public Condition? TryCompile(ConditionConfig config, SourceLocation rule, List<string> errors, List<string> warnings,
        SampleScope visible = SampleScope.RequestRules)
    {
        string keyword = config.Unless ? "unless" : "if";
        IReadOnlyList<string> words = config.Terms;
        if (words.Count == 0)
        {
            errors.Add($"missing condition after '{keyword}'");
            return null;
        }
        int errorCount = errors.Count;
        var suites = new List<IReadOnlyList<ConditionTerm>>();
        var suite = new List<ConditionTerm>();
        bool negate = false;
        bool pendingNegation = false;
        for (int i = 0; i < words.Count; i++)
        {
            string word = words[i];
            if (word is "or" or "||")
            {
                if (pendingNegation) errors.Add($"'!' must be followed by an ACL, not '{word}'");
                if (suite.Count == 0) errors.Add($"'{word}' must be preceded by an ACL");
                suites.Add(suite);
                suite = [];
                negate = pendingNegation = false;
                continue;
            }
            while (word.StartsWith('!'))
            {
                negate = !negate;
                pendingNegation = true;
                word = word[1..];
            }
            // A lone "!" is allowed: it applies to the next word.
            if (word.Length == 0) continue;

            Acl? acl;
            if (word == "{")
            {
                int close = i + 1;
                while (close < words.Count && words[close] != "}") close++;
                if (close >= words.Count)
                {
                    errors.Add("missing '}' to close the anonymous ACL");
                    break;
                }
                if (close == i + 1)
                {
                    errors.Add("empty anonymous ACL '{ }'");
                    i = close;
                    continue;
                }
                var arguments = new List<string>();
                for (int a = i + 2; a < close; a++) arguments.Add(words[a]);
                AclTest? test = AclCompiler.TryCompile(words[i + 1], arguments, rule, _maps, out string? error, out string? warning);
                if (warning is not null) warnings.Add($"anonymous ACL '{{ {words[i + 1]} … }}': {warning}");
                if (test is null)
                {
                    errors.Add($"anonymous ACL '{{ {words[i + 1]} … }}': {error}");
                    acl = null;
                }
                else
                {
                    acl = new Acl("{ " + string.Join(' ', words.Skip(i + 1).Take(close - i - 1)) + " }", [test]);
                }
                i = close;
            }
            else if (word == "}")
            {
                errors.Add("'}' without a matching '{'");
                continue;
            }
            else
            {
                acl = Resolve(word, rule, errors, out bool reported);
                if (acl is null && !reported) continue;
            }
            if (acl is not null) suite.Add(new ConditionTerm(Restrict(acl, visible, warnings), negate));
            negate = pendingNegation = false;
        }
        if (pendingNegation) errors.Add("'!' at the end of the condition must be followed by an ACL");
        if (suite.Count == 0 && suites.Count > 0 && errors.Count == errorCount) errors.Add($"'{words[^1]}' must be followed by an ACL");
        suites.Add(suite);
        return errors.Count == errorCount ? new Condition(config.Unless, suites) : null;
    }

    /// <summary>
    /// A named ACL or a predefined one. <paramref name="reported"/> is false when the ACL exists but
    /// failed to compile (its own error was already reported).
    /// </summary>
    private Acl? Resolve(string name, SourceLocation rule, List<string> errors, out bool reported)
    {
        reported = true;
        if (_named.TryGetValue(name, out NamedAcl? named))
        {
            if (DeclaredBefore(named, rule))
            {
                reported = named.Acl is not null;
                return named.Acl;
            }
            errors.Add($"no such ACL: '{name}' (it is declared on line {named.Declarations[0].Line}, after this rule; ACLs must be declared before use)");
            return null;
        }
        if (_predefined.TryGetValue(name, out Acl? known)) return known;
        if (PredefinedAcls.TryGetDefinition(name, out string fetch, out string[] arguments))
        {
            AclTest? test = AclCompiler.TryCompile(fetch, arguments, rule, _maps, out _, out _);
            var acl = new Acl(name, [test!]);
            _predefined.Add(name, acl);
            return acl;
        }
        errors.Add($"no such ACL: '{name}'");
        return null;
    }

    /// <summary>
    /// The ACL without the tests that read a message the condition cannot see (HAProxy: such a test
    /// never matches); warns when nothing is left, since the ACL then never matches.
    /// </summary>
    private Acl Restrict(Acl acl, SampleScope visible, List<string> warnings)
    {
        bool allVisible = true;
        foreach (AclTest test in acl.Tests) allVisible &= (test.Fetch.Scope & visible) != 0;
        if (allVisible) return acl;
        if (_restricted.TryGetValue((acl, visible), out Acl? restricted)) return restricted;

        var kept = new List<AclTest>();
        foreach (AclTest test in acl.Tests)
        {
            if ((test.Fetch.Scope & visible) != 0) kept.Add(test);
        }
        if (kept.Count == 0)
        {
            string unseen = (visible & SampleScope.Response) != 0
                ? "the request line or request headers, which an http-response rule cannot see"
                : "the response, which is not known when requests are processed";
            string subject = acl.Name.StartsWith('{') ? $"anonymous ACL '{acl.Name}'" : $"ACL '{acl.Name}'";
            warnings.Add($"{subject} will never match here: its fetch '{acl.Tests[0].Fetch.Keyword}' reads {unseen}");
        }
        restricted = new Acl(acl.Name, [.. kept]);
        _restricted.Add((acl, visible), restricted);
        return restricted;
    }

    private static bool DeclaredBefore(NamedAcl named, SourceLocation rule)
    {
        foreach (SourceLocation declaration in named.Declarations)
        {
            // Declarations from another file (an include) cannot be ordered against the rule: accept.
            if (declaration.File != rule.File || declaration.Line < rule.Line) return true;
        }
        return false;
    }
}
