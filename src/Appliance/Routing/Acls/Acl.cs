namespace Appliance.Routing.Acls;

/// <summary>
/// A named ACL: every <c>acl</c> line with that name in the frontend, OR-ed (HAProxy completes an
/// existing ACL with each new line). Immutable.
/// </summary>
internal sealed class Acl
{
    private readonly AclTest[] _tests;

    public Acl(string name, AclTest[] tests)
    {
        Name = name;
        _tests = tests;
    }

    public string Name { get; }

    public ReadOnlySpan<AclTest> Tests => _tests;

    public bool Matches(IRequestView request)
    {
        foreach (AclTest test in _tests)
        {
            if (test.Matches(request)) return true;
        }
        return false;
    }
}
