namespace Appliance.Routing;

/// <summary>
/// A frontend's compiled <c>use_backend</c> rules and <c>default_backend</c>: immutable, built once
/// per configuration, shared read-only by every shard. <see cref="Route"/> gives HAProxy's answer —
/// the first rule whose condition holds, else the default backend, else no backend — at a cost that
/// does not grow with the number of <c>path_beg</c> or exact-header rules (they are answered by
/// tries and hash tables), and without allocating.
/// </summary>
public sealed class RouteTable
{
    /// <summary>No rule matched and there is no default backend: the session answers 503.</summary>
    public const int NoBackend = -1;

    private readonly RouteRule[] _rules;
    private readonly RouteSegment[] _segments;
    private readonly BackendDirectory _backends;

    internal RouteTable(string frontend, RouteRule[] rules, RouteSegment[] segments, int defaultBackend, BackendDirectory backends)
    {
        Frontend = frontend;
        _rules = rules;
        _segments = segments;
        DefaultBackend = defaultBackend;
        _backends = backends;
    }

    public string Frontend { get; }

    /// <summary>Index of <c>default_backend</c>, or <see cref="NoBackend"/>.</summary>
    public int DefaultBackend { get; }

    public int RuleCount => _rules.Length;

    public BackendDirectory Backends => _backends;

    internal IReadOnlyList<RouteSegment> Segments => _segments;

    /// <summary>Which backend serves <paramref name="request"/>. Any shard; allocation-free.</summary>
    public RouteDecision Route(IRequestView request)
    {
        foreach (RouteSegment segment in _segments)
        {
            int rule = segment.FirstMatch(request);
            if (rule >= 0) return Decide(rule, request);
        }
        return new RouteDecision(DefaultBackend, -1);
    }

    /// <summary>Shorthand for <c>Route(request).Backend</c>.</summary>
    public int SelectBackend(IRequestView request) => Route(request).Backend;

    /// <summary>
    /// The reference semantics: every rule's condition in declaration order, no index. Same answer as
    /// <see cref="Route"/>, used to check the indexes.
    /// </summary>
    internal RouteDecision RouteByOrderedEvaluation(IRequestView request)
    {
        for (int i = 0; i < _rules.Length; i++)
        {
            if (_rules[i].Matches(request)) return Decide(i, request);
        }
        return new RouteDecision(DefaultBackend, -1);
    }

    private RouteDecision Decide(int rule, IRequestView request)
    {
        RouteRule matched = _rules[rule];
        if (matched.DynamicBackend is null) return new RouteDecision(matched.Backend, rule);
        // HAProxy: a dynamic name that resolves to no backend stops the rules and applies the default.
        int backend = matched.DynamicBackend.Resolve(request, _backends);
        return new RouteDecision(backend >= 0 ? backend : DefaultBackend, rule);
    }
}
