namespace Appliance.Master;

/// <summary>
/// A socket as one worker generation sees it: for a listener, frontend index (A), bind index within
/// the frontend (B) and shard (C) in that generation's configuration; for a runtime API socket, its
/// index in the <c>stats socket</c> list (A).
/// </summary>
internal sealed record SocketAssignment(HandedSocket Socket, int A, int B, int C);
