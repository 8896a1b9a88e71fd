using Appliance.Config.Keywords;
using Appliance.Config.Model;

namespace Appliance.Config.Parsing;

/// <summary>A <c>defaults</c>, <c>frontend</c>, <c>backend</c> or <c>listen</c> section while it is being read.</summary>
internal sealed class ProxySection
{
    public ProxySection(SectionKinds kind, string? name, SourceLocation location, ProxySettings settings)
    {
        Kind = kind;
        Name = name;
        Location = location;
        Settings = settings;
    }

    /// <summary><see cref="SectionKinds.Listen"/> is both frontend and backend.</summary>
    public SectionKinds Kind { get; }

    /// <summary>Null only for an anonymous <c>defaults</c> section.</summary>
    public string? Name { get; }

    /// <summary>How diagnostics name the section: its name, or <c>defaults</c> when it has none.</summary>
    public string DisplayName => Name ?? "defaults";

    /// <summary>The section keyword it was declared with.</summary>
    public string KindName => Kind switch
    {
        SectionKinds.Defaults => "defaults",
        SectionKinds.Frontend => "frontend",
        SectionKinds.Backend => "backend",
        _ => "listen",
    };

    public SourceLocation Location { get; }

    public ProxySettings Settings { get; set; }

    /// <summary>This section wrote <c>default_backend</c> itself rather than inheriting it.</summary>
    public bool HasOwnDefaultBackend { get; set; }

    /// <summary>
    /// This section wrote <c>option httpchk</c> or an <c>http-check</c> rule, so its rule set is its own
    /// rather than the one it inherited.
    /// </summary>
    public bool HasOwnHttpCheckRules { get; set; }

    /// <summary>A <c>bind</c> line was written, valid or not: a bad one must not also be reported as a missing one.</summary>
    public bool HasBindLine { get; set; }

    public bool HasFrontend => (Kind & SectionKinds.Frontend) != 0;

    public bool HasBackend => (Kind & SectionKinds.Backend) != 0;

    public List<BindConfig> Binds { get; } = new();

    public List<ServerConfig> Servers { get; } = new();

    public List<AclConfig> Acls { get; } = new();

    public List<UseBackendRule> UseBackends { get; } = new();

    public List<HttpRule> HttpRequestRules { get; } = new();

    public List<HttpRule> HttpResponseRules { get; } = new();

    /// <summary>Standalone <c>redirect</c> rules: HAProxy evaluates them after the proxy's <c>http-request</c> rules.</summary>
    public List<HttpRule> Redirects { get; } = new();

    public bool HasHttpRules => HttpRequestRules.Count > 0 || HttpResponseRules.Count > 0 || Redirects.Count > 0;

    /// <summary>The request rules as they run: <c>http-request</c> rules in order, then <c>redirect</c> rules in order.</summary>
    public IEnumerable<HttpRule> RequestRulesInOrder => HttpRequestRules.Concat(Redirects);

    /// <summary>The defaults section whose <c>http-request</c>/<c>http-response</c> rules run before this proxy's own.</summary>
    public ProxySection? RulesDefaults { get; set; }

    /// <summary>
    /// For a defaults section with rules: which kind of proxy inherited it first (HAProxy lets such a
    /// section serve frontends or backends, not both, so that its rules run at one place).
    /// </summary>
    public SectionKinds RulesInheritedBy { get; set; }
}
