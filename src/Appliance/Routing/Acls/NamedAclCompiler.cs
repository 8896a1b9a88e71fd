using Appliance.Config;
using Appliance.Config.Model;
using Appliance.Routing.Maps;

namespace Appliance.Routing.Acls;

/// <summary>
/// Compiles a section's <c>acl</c> lines once, for every rule that uses them (<c>use_backend</c>,
/// <c>http-request</c>, <c>http-response</c>): lines with the same name are OR-ed into one ACL, and a
/// name with a failing line compiles to a <see cref="NamedAcl"/> without an ACL (its error is
/// reported here, so conditions using it add nothing). Load time only.
/// </summary>
internal static class NamedAclCompiler
{
    /// <param name="section">The section name diagnostics are tagged with.</param>
    public static Dictionary<string, NamedAcl> Compile(string section, IEnumerable<AclConfig> acls, MapRegistry maps, List<ConfigDiagnostic> diagnostics)
    {
        var tests = new Dictionary<string, (List<AclTest> Tests, List<SourceLocation> Declarations, bool Failed)>(StringComparer.Ordinal);
        foreach (AclConfig acl in acls)
        {
            if (!tests.TryGetValue(acl.Name, out var entry))
            {
                entry = ([], [], false);
            }
            entry.Declarations.Add(acl.Location);
            string? nameError = ValidateAclName(acl.Name);
            AclTest? test = null;
            string? error = nameError;
            string? warning = null;
            if (nameError is null) test = AclCompiler.TryCompile(acl.Fetch, acl.Arguments, acl.Location, maps, out error, out warning);
            if (warning is not null) diagnostics.Add(new ConfigDiagnostic(acl.Location, section, "acl", $"acl '{acl.Name}': {warning}", IsWarning: true));
            if (test is null)
            {
                diagnostics.Add(new ConfigDiagnostic(acl.Location, section, "acl", $"acl '{acl.Name}': {error}"));
                entry.Failed = true;
            }
            else
            {
                entry.Tests.Add(test);
            }
            tests[acl.Name] = entry;
        }
        var named = new Dictionary<string, NamedAcl>(StringComparer.Ordinal);
        foreach (var (name, entry) in tests)
        {
            named[name] = new NamedAcl(name, entry.Failed ? null : new Acl(name, [.. entry.Tests]), entry.Declarations);
        }
        return named;
    }

    /// <summary>HAProxy: ACL names are made of letters, digits, '-', '_', '.' and ':'.</summary>
    private static string? ValidateAclName(string name)
    {
        if (name.Length == 0) return "missing ACL name";
        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
                return $"invalid character '{c}' in ACL name (allowed: letters, digits, '-', '_', '.', ':')";
        }
        return null;
    }
}
