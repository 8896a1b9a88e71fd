namespace Appliance.Engine;

/// <summary>
/// The 64-bit epoll user data: generation (high 32 bits) | slot (30 bits) | kind (2 bits). The
/// generation lets a shard drop events that were queued for a slot that has since been reused.
/// </summary>
internal static class EpollToken
{
    public const int ClientSide = 0;
    public const int ServerSide = 1;
    public const int Listener = 2;
    public const int Wake = 3;

    public static ulong Make(int kind, int slot, uint generation) =>
        ((ulong)generation << 32) | ((uint)slot << 2) | (uint)kind;

    public static int Kind(ulong token) => (int)(token & 3);

    public static int Slot(ulong token) => (int)((uint)token >> 2);

    public static uint Generation(ulong token) => (uint)(token >> 32);
}
