using Appliance.Config.Model;
using Appliance.Config.Parsing;
using Appliance.Config.Values;

namespace Appliance.Config.Keywords;

/// <summary>
/// <c>errorfile CODE FILE</c>: the file is read now (a missing file is a load error at this line, as in
/// HAProxy) and kept in memory; the rules compiler checks it is a whole HTTP response.
/// </summary>
internal static class ErrorFileKeyword
{
    public static void Parse(KeywordLine line, ProxySection section)
    {
        if (!line.HasArguments(2, 2) || !line.TryInteger(0, 0, 999, out int status)) return;
        if (!ErrorFileConfig.IsHandled(status))
        {
            line.Error($"status code {status} is not one the proxy answers with (expected one of: {string.Join(", ", ErrorFileConfig.Statuses)})");
            return;
        }
        byte[]? content = ReferencedFile.TryReadReply(line.Location.File, line.Argument(1), out string? error);
        if (content is null)
        {
            line.Error(error!);
            return;
        }
        var errorFile = new ErrorFileConfig(status, line.Argument(1), new ValueList<byte>(content), line.Location);
        section.Settings = section.Settings with { ErrorFiles = new ValueList<ErrorFileConfig>(section.Settings.ErrorFiles.Items.Add(errorFile)) };
    }
}
