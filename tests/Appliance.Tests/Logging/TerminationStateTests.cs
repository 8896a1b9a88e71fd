using Appliance.Forwarding;
using Appliance.Logging;

namespace Appliance.Tests.Logging;

public class TerminationStateTests
{
    [Theory]
    [InlineData(EndReason.Completed, 'D', false, "--")]
    [InlineData(EndReason.Completed, 'R', true, "LR")]
    [InlineData(EndReason.ClientAborted, 'D', false, "CD")]
    [InlineData(EndReason.ClientAborted, 'R', false, "CR")]
    [InlineData(EndReason.ServerAborted, 'H', false, "SH")]
    [InlineData(EndReason.NoServer, 'R', false, "SC")]
    [InlineData(EndReason.ConnectFailed, 'C', false, "SC")]
    [InlineData(EndReason.ClientTimeout, 'R', false, "cR")]
    [InlineData(EndReason.ServerTimeout, 'H', false, "sH")]
    [InlineData(EndReason.QueueTimeout, 'Q', false, "sQ")]
    [InlineData(EndReason.BadRequest, 'R', false, "PR")]
    [InlineData(EndReason.Denied, 'R', false, "PR")]
    [InlineData(EndReason.ResourceExhausted, 'C', false, "RC")]
    [InlineData(EndReason.Shutdown, 'D', false, "KD")]
    public void MapsEndReasonsToHaproxyCodes(EndReason reason, char phase, bool local, string expected)
    {
        (byte cause, byte endPhase) = TerminationState.Of(reason, (byte)phase, local);
        Assert.Equal(expected, $"{(char)cause}{(char)endPhase}");
    }
}
