using System.Net;
using Appliance.Balancing;
using Appliance.Forwarding;

namespace Appliance.Stats;

/// <summary>
/// The statistics page's admin form (HAProxy's fields): <c>b</c> the backend (<c>#IID</c> or its name),
/// <c>s</c> the checked servers (repeated), <c>action</c> <c>ready|drain|maint</c>. Applies the action
/// through the same server state the runtime API changes (any thread) and says how it went with
/// HAProxy's codes: DONE (all applied), PART (some), NONE (nothing to do), ERRP (bad parameters).
/// </summary>
internal static class StatsAdminForm
{
    public static string Apply(StatsSource source, string form)
    {
        string? backendField = null, action = null;
        var servers = new List<string>();
        foreach (string pair in form.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            string name = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? "" : WebUtility.UrlDecode(pair[(equals + 1)..]);
            switch (name)
            {
                case "b": backendField = value; break;
                case "s": servers.Add(value); break;
                case "action": action = value; break;
            }
        }
        AdminState? state = action switch
        {
            "ready" => AdminState.Ready,
            "drain" => AdminState.Drain,
            "maint" => AdminState.Maint,
            _ => null,
        };
        Backend? backend = backendField is null ? null : Find(source, backendField);
        if (state is null || backend is null) return "ERRP";
        if (servers.Count == 0) return "NONE";
        int applied = 0;
        foreach (string name in servers)
        {
            if (backend.State.FindServer(name) is not { } server) continue;
            server.SetAdminState(state.Value);
            applied++;
        }
        return applied == servers.Count ? "DONE" : applied > 0 ? "PART" : "NONE";
    }

    /// <summary>By name, or by <c>#IID</c>: the proxy id of <c>show stat</c> (frontends first, then backends, from 1).</summary>
    private static Backend? Find(StatsSource source, string field)
    {
        var worker = source.Worker;
        if (field.StartsWith('#'))
        {
            if (!int.TryParse(field.AsSpan(1), out int iid)) return null;
            int index = iid - 1 - worker.Frontends.Count;
            return index >= 0 && index < worker.Backends.Count ? worker.Backends[index] : null;
        }
        foreach (Backend backend in worker.Backends)
        {
            if (backend.Name == field) return backend;
        }
        return null;
    }
}
