namespace Appliance.Forwarding;

/// <summary>The result of choosing a server for a connection or request.</summary>
internal enum PickOutcome
{
    Picked,
    /// <summary>Every usable server is at its maxconn: wait in the backend queue.</summary>
    Queue,
    /// <summary>No server can take it (none up, or only the excluded one).</summary>
    NoServer,
}
