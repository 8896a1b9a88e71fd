namespace Appliance.Master;

/// <summary>The sockets one configuration needs: kept ones and newly opened ones, before it is committed.</summary>
internal sealed record SocketPlan(List<SocketAssignment> Assignments, List<HandedSocket> Opened);
