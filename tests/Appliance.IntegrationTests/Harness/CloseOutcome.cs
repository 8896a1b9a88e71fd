namespace Appliance.IntegrationTests.Harness;

/// <summary>How the far side ended a connection, as the client saw it.</summary>
public enum CloseOutcome
{
    /// <summary>FIN: a read returned 0.</summary>
    EndOfStream,

    /// <summary>RST: a read failed with ECONNRESET.</summary>
    Reset,
}
