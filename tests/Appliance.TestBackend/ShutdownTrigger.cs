using System.Runtime.InteropServices;

namespace Appliance.TestBackend;

/// <summary>
/// Completes when the process should exit: on SIGTERM/SIGINT, or when stdin reaches EOF. The stdin rule is the
/// lifeline that keeps a crashed or killed test run from leaking backends: the test harness holds the write
/// end of our stdin pipe, and the kernel closes it when the harness dies however it dies.
/// </summary>
internal sealed class ShutdownTrigger : IDisposable
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _interrupt;

    public ShutdownTrigger(bool watchStandardInput)
    {
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        if (watchStandardInput)
        {
            // A plain background thread: a blocking read on a pipe is the simplest reliable EOF detector, and a
            // background thread never delays process exit.
            new Thread(WaitForStandardInputEnd) { IsBackground = true, Name = "stdin-lifeline" }.Start();
        }
    }

    public Task Stopped => _stopped.Task;

    public void Dispose()
    {
        _terminate.Dispose();
        _interrupt.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Cancel the runtime's default termination so Main returns and the exit code is 0.
        context.Cancel = true;
        _stopped.TrySetResult();
    }

    private void WaitForStandardInputEnd()
    {
        try
        {
            using var stdin = Console.OpenStandardInput();
            var sink = new byte[256];
            while (stdin.Read(sink, 0, sink.Length) > 0)
            {
                // Whatever the harness writes is ignored; only EOF matters.
            }
        }
        catch (IOException)
        {
            // A broken stdin is as good as a closed one.
        }

        _stopped.TrySetResult();
    }
}
