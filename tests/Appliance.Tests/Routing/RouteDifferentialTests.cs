using System.Text;
using Appliance.Routing;
using Appliance.Routing.Maps;

namespace Appliance.Tests.Routing;

/// <summary>
/// Randomized (seeded) differential test: generated rule sets and requests are routed three ways —
/// the indexed route table, the same compiled rules evaluated in order, and an independent model of
/// HAProxy's semantics written with plain string operations — and all three must agree.
/// </summary>
public sealed class RouteDifferentialTests : IDisposable
{
    private static readonly string[] Prefixes = ["/", "/a", "/ab", "/abc", "/A", "/b", "/b/c", "/api", "/api/v2", "/API", "/x/y"];
    private static readonly string[] Paths = ["/", "/a", "/abc/d", "/ABC", "/api/v2/users", "/API/v1", "/b/c/d", "/b", "/x/y/z.png", "/q.jpg", "/aB/c"];
    private static readonly string[] Hosts = ["a.example.com", "A.Example.com", "b.example.com", "b.example.com:8080", "www.b.example.com", "c.test", "example.com"];
    private static readonly string[] HostPatterns = ["a.example.com", "b.example.com", "B.EXAMPLE.COM", "c.test", "example.com"];
    private static readonly string[] Tenants = ["gold", "Gold", "silver", "bronze"];
    private static readonly string[] Suffixes = [".png", ".jpg", "/d", "users"];
    private static readonly string[] Backends = ["be0", "be1", "be2", "be3", "be4", "be5"];

    private readonly string _dir = Directory.CreateTempSubdirectory("routing-diff").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record Request(string Path, string[] HostLines, string? Tenant)
    {
        public TestRequest ToView()
        {
            var headers = HostLines.Select(h => ("Host", h)).ToList();
            if (Tenant is not null) headers.Add(("X-Tenant", Tenant));
            return new TestRequest(Path, headers: [.. headers]);
        }

        /// <summary>Host values as HAProxy's hdr() sees them: every line split at commas, trimmed.</summary>
        public IEnumerable<string> HostValues => HostLines.SelectMany(l => l.Split(',')).Select(v => v.Trim(' ', '\t'));
    }

    /// <summary>One generated acl line with its meaning in the model.</summary>
    private sealed record AclLine(string Text, Func<Request, bool> Holds);

    private sealed record Rule(string Text, Func<Request, bool> Condition, string? Static, Func<Request, string?>? Dynamic);

    [Fact]
    public void Indexed_routing_equals_ordered_evaluation_and_the_model()
    {
        var random = new Random(20240607);
        int decisions = 0;
        for (int set = 0; set < 250; set++)
        {
            decisions += RunOneSet(random, set);
        }
        Assert.True(decisions > 40_000, $"{decisions}");
    }

    private int RunOneSet(Random random, int set)
    {
        var acls = new Dictionary<string, List<AclLine>>();
        var config = new StringBuilder();
        int aclCount = random.Next(1, 12);
        for (int i = 0; i < aclCount; i++)
        {
            string name = $"acl{i}";
            acls[name] = [];
            int lines = random.Next(10) == 0 ? 2 : 1;
            for (int l = 0; l < lines; l++)
            {
                AclLine line = GenerateAcl(random, name);
                acls[name].Add(line);
                config.Append(line.Text).Append('\n');
            }
        }
        var rules = new List<Rule>();
        int ruleCount = random.Next(1, 30);
        var maps = new List<string>();
        for (int r = 0; r < ruleCount; r++)
        {
            rules.Add(GenerateRule(random, acls, set, maps));
        }
        string? defaultBackend = random.Next(3) == 0 ? null : Backends[random.Next(Backends.Length)];
        foreach (Rule rule in rules) config.Append(rule.Text).Append('\n');
        if (defaultBackend is not null) config.Append($"default_backend {defaultBackend}\n");

        RouteCompilation result = RoutingConfig.Compile(config.ToString(), Backends, Path.Combine(_dir, "appliance.cfg"), new MapRegistry());
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics) + "\n" + config);
        RouteTable table = result.Table!;

        int decisions = 0;
        for (int q = 0; q < 200; q++)
        {
            Request request = GenerateRequest(random);
            TestRequest view = request.ToView();
            RouteDecision indexed = table.Route(view);
            RouteDecision ordered = table.RouteByOrderedEvaluation(view);
            string? expected = Model(rules, defaultBackend, request);
            string? actual = indexed.HasBackend ? table.Backends[indexed.Backend] : null;
            if (indexed != ordered || actual != expected)
            {
                Assert.Fail($"set {set}: {view}\nindexed={actual} (rule {indexed.Rule}) ordered={ordered} model={expected}\n" +
                    $"segments: {string.Join(",", table.Segments.Select(s => $"{s.Kind}[{s.FirstRule}..{s.LastRule}]"))}\n{config}");
            }
            decisions++;
        }
        return decisions;
    }

    private static string? Model(List<Rule> rules, string? defaultBackend, Request request)
    {
        foreach (Rule rule in rules)
        {
            if (!rule.Condition(request)) continue;
            if (rule.Static is not null) return rule.Static;
            string? name = rule.Dynamic!(request);
            // HAProxy: a dynamic name that is no backend stops here and applies default_backend.
            return name is not null && Backends.Contains(name) ? name : defaultBackend;
        }
        return defaultBackend;
    }

    private static AclLine GenerateAcl(Random random, string name)
    {
        bool ignoreCase = random.Next(3) == 0;
        string flag = ignoreCase ? " -i" : "";
        StringComparison comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        string[] Pick(string[] pool) => [.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => pool[random.Next(pool.Length)])];
        switch (random.Next(10))
        {
            case < 4:
            {
                string[] prefixes = Pick(Prefixes);
                return new AclLine($"acl {name} path_beg{flag} {string.Join(' ', prefixes)}",
                    r => prefixes.Any(p => r.Path.StartsWith(p, comparison)));
            }
            case < 6:
            {
                string[] hosts = Pick(HostPatterns);
                string fetch = random.Next(2) == 0 ? "hdr(host)" : "req.hdr(Host) -m str";
                return new AclLine($"acl {name} {fetch}{flag} {string.Join(' ', hosts)}",
                    r => r.HostValues.Any(v => hosts.Any(h => string.Equals(v, h, comparison))));
            }
            case 6:
            {
                string[] tenants = Pick(Tenants);
                return new AclLine($"acl {name} hdr(X-Tenant) -m str{flag} {string.Join(' ', tenants)}",
                    r => r.Tenant is not null && r.Tenant.Split(',').Select(v => v.Trim()).Any(v => tenants.Any(t => string.Equals(v, t, comparison))));
            }
            case 7:
            {
                string[] suffixes = Pick(Suffixes);
                return new AclLine($"acl {name} path_end{flag} {string.Join(' ', suffixes)}",
                    r => suffixes.Any(s => r.Path.EndsWith(s, comparison)));
            }
            case 8:
            {
                string[] domains = Pick(["example.com", "b.example.com", "com", "test"]);
                return new AclLine($"acl {name} hdr_dom(host){flag} {string.Join(' ', domains)}",
                    r => r.HostValues.Any(v => domains.Any(d => DomainMatch(v, d, comparison))));
            }
            default:
            {
                string[] prefixes = Pick(Prefixes);
                return new AclLine($"acl {name} path -m beg{flag} {string.Join(' ', prefixes)}",
                    r => prefixes.Any(p => r.Path.StartsWith(p, comparison)));
            }
        }
    }

    /// <summary>HAProxy's domain match, restated: the pattern (stripped of delimiters) must start at the
    /// beginning or after a delimiter and end at the end or before one; delimiters are / ? . :</summary>
    private static bool DomainMatch(string value, string pattern, StringComparison comparison)
    {
        static bool Delimiter(char c) => c is '/' or '?' or '.' or ':';
        string stripped = pattern.Trim('/', '?', '.', ':');
        if (stripped.Length == 0) return false;
        for (int start = 0; start + stripped.Length <= value.Length; start++)
        {
            if (Delimiter(value[start]) || (start > 0 && !Delimiter(value[start - 1]))) continue;
            int end = start + stripped.Length;
            if (string.Compare(value, start, stripped, 0, stripped.Length, comparison) == 0 && (end == value.Length || Delimiter(value[end])))
                return true;
        }
        return false;
    }

    private Rule GenerateRule(Random random, Dictionary<string, List<AclLine>> acls, int set, List<string> maps)
    {
        string[] names = [.. acls.Keys];
        bool AclHolds(string name, Request r) => acls[name].Any(line => line.Holds(r));

        // Condition: mostly a single positive ACL (indexable), sometimes OR-ed, AND-ed, negated, unless.
        string conditionText;
        Func<Request, bool> condition;
        int shape = random.Next(12);
        if (shape < 6)
        {
            string a = names[random.Next(names.Length)];
            conditionText = $"if {a}";
            condition = r => AclHolds(a, r);
        }
        else if (shape < 8)
        {
            string a = names[random.Next(names.Length)], b = names[random.Next(names.Length)];
            conditionText = $"if {a} || {b}";
            condition = r => AclHolds(a, r) || AclHolds(b, r);
        }
        else if (shape == 8)
        {
            string a = names[random.Next(names.Length)], b = names[random.Next(names.Length)], c = names[random.Next(names.Length)];
            conditionText = $"if {a} !{b} or {c}";
            condition = r => (AclHolds(a, r) && !AclHolds(b, r)) || AclHolds(c, r);
        }
        else if (shape == 9)
        {
            string a = names[random.Next(names.Length)];
            conditionText = $"unless {a}";
            condition = r => !AclHolds(a, r);
        }
        else if (shape == 10)
        {
            string prefix = Prefixes[random.Next(Prefixes.Length)];
            conditionText = $"if {{ path_beg {prefix} }}";
            condition = r => r.Path.StartsWith(prefix, StringComparison.Ordinal);
        }
        else
        {
            conditionText = random.Next(4) == 0 ? "" : $"if {names[random.Next(names.Length)]} {names[random.Next(names.Length)]}";
            if (conditionText.Length == 0)
            {
                condition = _ => true;
            }
            else
            {
                string[] words = conditionText.Split(' ');
                condition = r => AclHolds(words[1], r) && AclHolds(words[2], r);
            }
        }

        if (random.Next(8) != 0)
        {
            string backend = Backends[random.Next(Backends.Length)];
            return new Rule($"use_backend {backend} {conditionText}", condition, backend, null);
        }

        // Dynamic rule: a prefix map on the path, or an exact map on the lower-cased last host value.
        string file = $"set{set}_{maps.Count}.map";
        maps.Add(file);
        var entries = new List<(string Key, string Value)>();
        bool byPath = random.Next(2) == 0;
        for (int e = random.Next(0, 6); e > 0; e--)
        {
            string key = byPath ? Prefixes[random.Next(Prefixes.Length)] : HostPatterns[random.Next(HostPatterns.Length)];
            string value = random.Next(5) == 0 ? "ghost" : Backends[random.Next(Backends.Length)];
            entries.Add((key, value));
        }
        File.WriteAllLines(Path.Combine(_dir, file), entries.Select(e => $"{e.Key} {e.Value}"));
        string? mapDefault = random.Next(2) == 0 ? Backends[random.Next(Backends.Length)] : null;
        string defaultArgument = mapDefault is null ? "" : $",{mapDefault}";
        if (byPath)
        {
            return new Rule($"use_backend %[path,map_beg({file}{defaultArgument})] {conditionText}", condition, null, r =>
            {
                // map_beg: the longest key that prefixes the path; for equal keys the first line.
                var hit = entries.Where(e => r.Path.StartsWith(e.Key, StringComparison.Ordinal))
                    .OrderByDescending(e => e.Key.Length).Select(e => (string?)e.Value).FirstOrDefault();
                return hit ?? mapDefault;
            });
        }
        return new Rule($"use_backend %[req.hdr(host),lower,map({file}{defaultArgument})] {conditionText}", condition, null, r =>
        {
            string[] values = [.. r.HostValues];
            if (values.Length == 0) return null; // the fetch fails: no name at all
            string key = values[^1].ToLowerInvariant();
            var hit = entries.Where(e => e.Key == key).Select(e => (string?)e.Value).FirstOrDefault();
            return hit ?? mapDefault;
        });
    }

    private static Request GenerateRequest(Random random)
    {
        string path = Paths[random.Next(Paths.Length)];
        if (random.Next(3) == 0) path += "/" + (char)('a' + random.Next(3));
        string[] hostLines = random.Next(8) switch
        {
            0 => [],
            1 => [$"{Hosts[random.Next(Hosts.Length)]}, {Hosts[random.Next(Hosts.Length)]}"],
            2 => [Hosts[random.Next(Hosts.Length)], Hosts[random.Next(Hosts.Length)]],
            _ => [Hosts[random.Next(Hosts.Length)]],
        };
        string? tenant = random.Next(3) switch
        {
            0 => null,
            1 => Tenants[random.Next(Tenants.Length)],
            _ => $"{Tenants[random.Next(Tenants.Length)]}, {Tenants[random.Next(Tenants.Length)]}",
        };
        return new Request(path, hostLines, tenant);
    }
}
