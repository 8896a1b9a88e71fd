namespace Appliance.Master;

/// <summary>How a reload went: the generation now serving, and the messages (every error when it failed).</summary>
internal sealed record ReloadOutcome(bool Succeeded, int Generation, string Messages);
