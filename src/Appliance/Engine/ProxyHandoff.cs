using Appliance.Forwarding;
using Appliance.Master;
using Appliance.Runtime;

namespace Appliance.Engine;

/// <summary>
/// What a worker process receives from its master instead of opening itself: the listening sockets, the
/// runtime API sockets (by position in <c>global</c>'s <c>stats socket</c> list), the server state
/// carried over from the previous generation, and the counters of the other generations.
/// </summary>
internal sealed record ProxyHandoff(
    ListenerSet Listeners,
    IReadOnlyDictionary<int, int> StatsSocketFds,
    Action<IReadOnlyList<Backend>>? BeforeStart,
    Func<CounterSnapshot> Baseline,
    int Generation);
