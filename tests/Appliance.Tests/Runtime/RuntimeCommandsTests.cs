using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Runtime;
using Appliance.Tests.Engine;

namespace Appliance.Tests.Runtime;

/// <summary>The runtime API command table on a running in-process proxy: levels, errors with usage, weights.</summary>
public sealed class RuntimeCommandsTests : IDisposable
{
    private readonly RunningProxy _proxy = TcpForwardingTests.Start(TcpForwardingTests.Config(TcpForwardingTests.FreePort(), TcpForwardingTests.FreePort()));

    private RuntimeCommands Commands => _proxy.Commands;

    public void Dispose() => _proxy.Dispose();

    [Fact]
    public void Changes_need_the_admin_level()
    {
        Assert.Equal("Permission denied\n\n", Commands.Execute("disable server be/s1", RuntimeApiLevel.Operator));
        Assert.Equal("\n", Commands.Execute("disable server be/s1", RuntimeApiLevel.Admin));
        Assert.Contains(",MAINT,", Commands.Execute("show stat", RuntimeApiLevel.User));
    }

    [Theory]
    [InlineData("set server be/s1 weight 300", "Weight 300 is out of range (0-256).")]
    [InlineData("set server be/s1 weight x", "'x' is not a weight: expects an integer (0-256) or a percentage.")]
    [InlineData("set server be/s1 state up", "'set server <srv> state' expects 'ready', 'drain' and 'maint'.")]
    [InlineData("set server be/s1", "Require 'state', 'weight' or 'addr'.")]
    [InlineData("set server be", "Require 'backend/server'.")]
    [InlineData("disable server be/nope", "No such server.")]
    [InlineData("enable server nope/s1", "No such backend.")]
    [InlineData("show stat nope", "No such proxy 'nope'.")]
    [InlineData("show servers conn nope", "Can't find backend.")]
    [InlineData("show servers conn be extra", "Too many arguments.")]
    public void Bad_arguments_get_one_error_line_and_the_usage(string command, string error)
    {
        string answer = Commands.Execute(command, RuntimeApiLevel.Admin);
        string[] lines = answer.Split('\n');
        Assert.Equal(error, lines[0]);
        Assert.StartsWith("Usage: ", lines[1]);
        Assert.Equal(["", ""], lines[2..]);
    }

    [Fact]
    public void Unknown_commands_list_what_the_level_allows()
    {
        string answer = Commands.Execute("show everything", RuntimeApiLevel.User);
        Assert.StartsWith("Unknown command: 'show everything'\nThe following commands are valid at this level:\n", answer);
        Assert.Contains("show servers state", answer);
        Assert.DoesNotContain("set server", answer);
    }

    [Fact]
    public void Weights_are_absolute_or_relative_to_the_configured_weight()
    {
        Assert.Equal("\n", Commands.Execute("set weight be/s1 10", RuntimeApiLevel.Admin));
        Assert.Equal("10 (initial 1)\n\n", Commands.Execute("get weight be/s1", RuntimeApiLevel.User));
        Assert.Equal("\n", Commands.Execute("set server be/s1 weight 200%", RuntimeApiLevel.Admin));
        Assert.Equal("2 (initial 1)\n\n", Commands.Execute("get weight be/s1", RuntimeApiLevel.User));
    }

    [Fact]
    public void Several_commands_on_one_line_are_answered_in_order()
    {
        string answer = RuntimeApiServer.AnswerAll("show backend; get weight be/s1", l => Commands.Execute(l, RuntimeApiLevel.User));
        Assert.Equal("# name\nbe\n\n1 (initial 1)\n\n", answer);
    }
}
