using System.Buffers.Binary;
using System.Numerics;

namespace Appliance.Logging;

/// <summary>
/// One shard's access-log lines on their way to the writer thread: a single-producer (the shard),
/// single-consumer (the writer) byte ring of length-prefixed records. The shard never waits: a line
/// that does not fit is refused and the caller counts it as dropped. Positions only grow; the producer
/// publishes <c>_head</c> and reads <c>_tail</c> with volatile accesses, the consumer the reverse.
/// </summary>
internal sealed class AccessLogRing
{
    /// <summary>Record header: message length (2 bytes), target set (2 bytes).</summary>
    private const int HeaderLength = 4;
    /// <summary>A length that marks the rest of the buffer as unused (the next record starts at 0).</summary>
    private const ushort WrapMarker = ushort.MaxValue;
    /// <summary>Longest message a record holds; longer lines are cut (HAProxy cuts at the target's len anyway).</summary>
    public const int MaxMessageLength = 8192;

    private readonly byte[] _buffer;
    private readonly int _mask;
    private long _head;
    private long _tail;

    /// <param name="capacity">Bytes; rounded up to a power of two (at least 16 KiB, so a longest record fits).</param>
    public AccessLogRing(int capacity)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 2 * (MaxMessageLength + HeaderLength)));
        _buffer = new byte[size];
        _mask = size - 1;
        Scratch = new byte[MaxMessageLength];
    }

    public int Capacity => _buffer.Length;

    /// <summary>Where the shard formats a line before <see cref="TryWrite"/>; shard thread only.</summary>
    public byte[] Scratch { get; }

    /// <summary>Bytes written and not yet consumed (any thread; a moment stale).</summary>
    public long Pending => Volatile.Read(ref _head) - Volatile.Read(ref _tail);

    /// <summary>Producer (shard thread): appends one record, or returns false when the ring lacks room.</summary>
    public bool TryWrite(ReadOnlySpan<byte> message, int targetSet)
    {
        if (message.Length > MaxMessageLength) message = message[..MaxMessageLength];
        int need = Align(HeaderLength + message.Length);
        long head = _head;
        long free = _buffer.Length - (head - Volatile.Read(ref _tail));
        int index = (int)(head & _mask);
        int untilEnd = _buffer.Length - index;
        int skip = need > untilEnd ? untilEnd : 0;
        if (skip + need > free) return false;
        if (skip > 0)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(index), WrapMarker);
            head += skip;
            index = 0;
        }
        Span<byte> record = _buffer.AsSpan(index, need);
        BinaryPrimitives.WriteUInt16LittleEndian(record, (ushort)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(record[2..], (ushort)targetSet);
        message.CopyTo(record[HeaderLength..]);
        Volatile.Write(ref _head, head + need);
        return true;
    }

    /// <summary>
    /// Consumer (writer thread): the oldest record, valid until <see cref="Consume"/>; false when empty.
    /// </summary>
    public bool TryPeek(out ReadOnlySpan<byte> message, out int targetSet)
    {
        message = default;
        targetSet = 0;
        long tail = _tail;
        long head = Volatile.Read(ref _head);
        if (tail == head) return false;
        int index = (int)(tail & _mask);
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(index));
        if (length == WrapMarker)
        {
            tail += _buffer.Length - index;
            Volatile.Write(ref _tail, tail);
            if (tail == head) return false;
            index = 0;
            length = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(0));
        }
        targetSet = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(index + 2));
        message = _buffer.AsSpan(index + HeaderLength, length);
        return true;
    }

    /// <summary>Consumer: releases the record <see cref="TryPeek"/> returned.</summary>
    public void Consume()
    {
        long tail = _tail;
        int index = (int)(tail & _mask);
        ushort length = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(index));
        Volatile.Write(ref _tail, tail + Align(HeaderLength + length));
    }

    private static int Align(int length) => (length + 3) & ~3;
}
