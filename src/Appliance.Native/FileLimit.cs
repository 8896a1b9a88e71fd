namespace Appliance.Native;

/// <summary>RLIMIT_NOFILE: the number of file descriptors the process may hold.</summary>
public static unsafe class FileLimit
{
    public static (ulong Current, ulong Maximum) Get()
    {
        RLimit limit;
        Libc.GetRLimit(LinuxConstants.RLIMIT_NOFILE, &limit);
        return (limit.Current, limit.Maximum);
    }

    /// <summary>Raises the soft limit to <paramref name="wanted"/>; returns 0 or -errno.</summary>
    public static int RaiseTo(ulong wanted)
    {
        RLimit limit;
        if (Libc.GetRLimit(LinuxConstants.RLIMIT_NOFILE, &limit) != 0) return -Errno.Last;
        if (limit.Current >= wanted) return 0;
        limit.Current = wanted;
        if (limit.Maximum < wanted) limit.Maximum = wanted; // only root may raise the hard limit
        return Libc.SetRLimit(LinuxConstants.RLIMIT_NOFILE, &limit) == 0 ? 0 : -Errno.Last;
    }
}
