namespace Appliance.Native;

/// <summary>Pins the calling thread to a set of CPUs (sched_setaffinity on tid 0 = this thread).</summary>
public static unsafe class CpuAffinity
{
    private const int MaskWords = 16; // 1024 CPUs, glibc's cpu_set_t size

    /// <summary>
    /// The CPUs this process may run on (its affinity mask, as set by taskset, systemd CPUAffinity or a
    /// container's cpuset), in increasing order; all online CPUs if the mask cannot be read.
    /// </summary>
    public static int[] AllowedCpus()
    {
        ulong* mask = stackalloc ulong[MaskWords];
        new Span<ulong>(mask, MaskWords).Clear();
        var cpus = new List<int>();
        if (Libc.SchedGetAffinity(0, MaskWords * sizeof(ulong), mask) == 0)
        {
            for (int cpu = 0; cpu < MaskWords * 64; cpu++)
            {
                if ((mask[cpu / 64] & (1UL << (cpu % 64))) != 0) cpus.Add(cpu);
            }
        }
        if (cpus.Count == 0)
        {
            for (int cpu = 0; cpu < Environment.ProcessorCount; cpu++) cpus.Add(cpu);
        }
        return cpus.ToArray();
    }

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
