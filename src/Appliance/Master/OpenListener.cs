using Appliance.Config.Model;

namespace Appliance.Master;

/// <summary>An open listening socket: which frontend and shard it belongs to, and its bind line.</summary>
internal sealed record OpenListener(int Fd, int FrontendIndex, int Shard, BindConfig Bind);
