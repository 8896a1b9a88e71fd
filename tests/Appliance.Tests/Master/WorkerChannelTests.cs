using Appliance.Master;
using Appliance.Native;

namespace Appliance.Tests.Master;

/// <summary>The master–worker channel over a real socketpair: framing and SCM_RIGHTS descriptor passing.</summary>
public sealed class WorkerChannelTests
{
    [Fact]
    public unsafe void Descriptors_arrive_as_the_same_kernel_objects()
    {
        (WorkerChannel master, WorkerChannel worker) = Pair();
        int* pipe = stackalloc int[2];
        Assert.Equal(0, Libc.Pipe2(pipe, LinuxConstants.O_CLOEXEC));
        try
        {
            master.Send(MessageKind.Descriptors, w => w.Write("two ends"), [pipe[0], pipe[1]]);
            ChannelMessage? message = worker.Receive();
            Assert.NotNull(message);
            Assert.Equal(MessageKind.Descriptors, message!.Kind);
            Assert.Equal("two ends", message.Reader().ReadString());
            Assert.Equal(2, message.Fds.Length);
            Assert.DoesNotContain(pipe[0], message.Fds);

            // Writing into the received write end comes out of the original read end.
            byte value = 42;
            Assert.Equal(1, Libc.Write(message.Fds[1], &value, 1));
            byte read = 0;
            Assert.Equal(1, Libc.Read(pipe[0], &read, 1));
            Assert.Equal(42, read);
            foreach (int fd in message.Fds) Libc.Close(fd);
        }
        finally
        {
            Libc.Close(pipe[0]);
            Libc.Close(pipe[1]);
            master.Dispose();
            worker.Dispose();
        }
    }

    [Fact]
    public async Task Large_payloads_and_consecutive_frames_keep_their_boundaries()
    {
        (WorkerChannel master, WorkerChannel worker) = Pair();
        try
        {
            string config = new('x', 3 * 1024 * 1024);
            var sending = Task.Run(() =>
            {
                master.Send(MessageKind.Init, w => w.Write(config));
                master.Send(MessageKind.Drain);
                master.Send(MessageKind.StateRequest, w => w.Write(7L));
            });
            Assert.Equal(config, worker.Receive()!.Reader().ReadString());
            Assert.Equal(MessageKind.Drain, worker.Receive()!.Kind);
            ChannelMessage request = worker.Receive()!;
            Assert.Equal(MessageKind.StateRequest, request.Kind);
            Assert.Equal(7L, request.Reader().ReadInt64());
            await sending.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            master.Dispose();
            worker.Dispose();
        }
    }

    [Fact]
    public void The_end_of_the_peer_is_a_null_message_and_sends_then_fail()
    {
        (WorkerChannel master, WorkerChannel worker) = Pair();
        master.Shutdown();
        Assert.Null(worker.Receive());
        Assert.False(master.TrySend(MessageKind.Stop));
        master.Dispose();
        worker.Dispose();
    }

    private static (WorkerChannel, WorkerChannel) Pair()
    {
        Assert.Equal(0, UnixSocket.Pair(out int a, out int b));
        return (new WorkerChannel(a), new WorkerChannel(b));
    }
}
