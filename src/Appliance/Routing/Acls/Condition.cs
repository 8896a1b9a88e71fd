namespace Appliance.Routing.Acls;

/// <summary>
/// An <c>if</c>/<c>unless</c> condition in HAProxy's disjunctive form: suites of terms separated by
/// <c>or</c>/<c>||</c>, the terms of a suite implicitly AND-ed (AND binds tighter), each term an ACL
/// optionally negated. Stored flat (terms plus suite boundaries) and evaluated left to right with
/// short-circuits, allocation-free.
/// </summary>
internal sealed class Condition
{
    private readonly ConditionTerm[] _terms;
    private readonly int[] _suiteEnds;

    public Condition(bool unless, IReadOnlyList<IReadOnlyList<ConditionTerm>> suites)
    {
        Unless = unless;
        var terms = new List<ConditionTerm>();
        _suiteEnds = new int[suites.Count];
        for (int s = 0; s < suites.Count; s++)
        {
            terms.AddRange(suites[s]);
            _suiteEnds[s] = terms.Count;
        }
        _terms = [.. terms];
    }

    public bool Unless { get; }

    public int SuiteCount => _suiteEnds.Length;

    /// <summary>The terms of suite <paramref name="suite"/>.</summary>
    public ReadOnlySpan<ConditionTerm> Suite(int suite)
    {
        int start = suite == 0 ? 0 : _suiteEnds[suite - 1];
        return _terms.AsSpan(start, _suiteEnds[suite] - start);
    }

    public bool Matches(IRequestView request)
    {
        bool any = false;
        int start = 0;
        foreach (int end in _suiteEnds)
        {
            bool all = true;
            for (int i = start; i < end; i++)
            {
                ConditionTerm term = _terms[i];
                if (term.Acl.Matches(request) == term.Negated)
                {
                    all = false;
                    break;
                }
            }
            if (all)
            {
                any = true;
                break;
            }
            start = end;
        }
        return any != Unless;
    }
}
