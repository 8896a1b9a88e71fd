namespace Appliance.Native;

/// <summary>Pins the calling thread to a set of CPUs (sched_setaffinity on tid 0 = this thread).</summary>
public static unsafe class CpuAffinity
{
    private const int MaskWords = 16; // 1024 CPUs, glibc's cpu_set_t size

    /// <summary>Returns 0 or -errno (e.g. -EINVAL when none of the CPUs is allowed).</summary>
    public static int PinCurrentThread(ReadOnlySpan<int> cpus)
    {
        ulong* mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        foreach (int cpu in cpus)
        {
            if (cpu >= 0 && cpu < MaskWords * 64) mask[cpu / 64] |= 1UL << (cpu % 64);
        }
        return Libc.SchedSetAffinity(0, MaskWords * sizeof(ulong), mask) == 0 ? 0 : -Errno.Last;
    }
}
