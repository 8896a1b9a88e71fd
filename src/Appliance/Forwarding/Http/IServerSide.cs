namespace Appliance.Forwarding.Http;

/// <summary>The session a <see cref="BackendConnection"/> is lent to; receives its events.</summary>
internal interface IServerSide
{
    void OnServerEvents(uint events);
}
