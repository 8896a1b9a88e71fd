namespace Appliance.Http;

/// <summary>
/// Writes a parsed head out again for forwarding: start line (request path optionally replaced), field
/// lines minus the hop-by-hop fields the caller's policy names and minus edited ones, then the edits'
/// added fields and the final CRLF. Field lines come out as <c>name: value</c> with the name's case
/// kept. Several identical Content-Length values collapse into one field. The HTTP version is the one
/// received: the body is forwarded as it came, so the next hop must frame its answer for the same
/// version. No allocation.
/// </summary>
public static class HeadWriter
{
    /// <summary>
    /// Writes <paramref name="head"/> (parsed from <paramref name="source"/>) into
    /// <paramref name="destination"/>. False when it does not fit; <paramref name="written"/> is then 0.
    /// </summary>
    public static bool TryWriteRequest(
        ReadOnlySpan<byte> source, RequestHead head, HopByHopFields removal, HeadEdits? edits,
        Span<byte> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(head);
        var output = new OutputCursor(destination);
        output.Write(head.MethodToken.Of(source));
        output.Write((byte)' ');
        WriteTarget(ref output, source, head, edits);
        output.Write((byte)' ');
        output.Write(VersionText(head.Version));
        output.Write("\r\n"u8);
        WriteFields(ref output, source, head, removal, edits);
        return Finish(ref output, out written);
    }

    /// <summary>Writes a response head; see <see cref="TryWriteRequest"/>.</summary>
    public static bool TryWriteResponse(
        ReadOnlySpan<byte> source, ResponseHead head, HopByHopFields removal, HeadEdits? edits,
        Span<byte> destination, out int written)
    {
        ArgumentNullException.ThrowIfNull(head);
        var output = new OutputCursor(destination);
        output.Write(VersionText(head.Version));
        output.Write((byte)' ');
        output.Write(head.StatusCodeText.Of(source));
        output.Write((byte)' ');
        output.Write(head.Reason.Of(source));
        output.Write("\r\n"u8);
        WriteFields(ref output, source, head, removal, edits);
        return Finish(ref output, out written);
    }

    private static bool Finish(ref OutputCursor output, out int written)
    {
        output.Write("\r\n"u8);
        written = output.Overflowed ? 0 : output.Position;
        return !output.Overflowed;
    }

    private static ReadOnlySpan<byte> VersionText(Http1Version version) =>
        version == Http1Version.Http10 ? "HTTP/1.0"u8 : "HTTP/1.1"u8;

    /// <summary>
    /// Origin-form as received, or with the path replaced; absolute-form likewise, or reduced to
    /// origin-form when asked; authority- and asterisk-form unchanged (they have no path).
    /// </summary>
    private static void WriteTarget(ref OutputCursor output, ReadOnlySpan<byte> source, RequestHead head, HeadEdits? edits)
    {
        RequestTargetForm form = head.TargetForm;
        bool replacePath = edits is not null && edits.HasPath;
        bool toOrigin = form == RequestTargetForm.Absolute && edits is not null && edits.UseOriginForm;
        if (form is RequestTargetForm.Authority or RequestTargetForm.Asterisk || (!replacePath && !toOrigin))
        {
            output.Write(head.Target.Of(source));
            return;
        }

        if (form == RequestTargetForm.Absolute && !toOrigin)
        {
            output.Write(source[head.Target.Start..head.Path.Start]); // scheme://authority
        }
        ReadOnlySpan<byte> path = replacePath ? edits!.Path : head.Path.Of(source);
        output.Write(path.IsEmpty ? "/"u8 : path);
        if (head.HasQuery)
        {
            output.Write((byte)'?');
            output.Write(head.Query.Of(source));
        }
    }

    private static void WriteFields(
        ref OutputCursor output, ReadOnlySpan<byte> source, MessageHead head, HopByHopFields removal, HeadEdits? edits)
    {
        bool contentLengthWritten = false;
        foreach (HeaderField field in head.Headers)
        {
            ReadOnlySpan<byte> name = field.Name.Of(source);
            if (IsRemoved(field.Known, name, source, head, removal)) continue;
            if (edits is not null && edits.RemovesFrom(0, name)) continue;

            if (field.Known == KnownHeader.ContentLength && head.ContentLengthNeedsRewrite)
            {
                // "Content-Length: 5, 5" or repeated fields: pass on the single value (RFC 9112 §6.3).
                if (contentLengthWritten) continue;
                contentLengthWritten = true;
                output.Write(name);
                output.Write(": "u8);
                output.WriteDecimal(head.ContentLength);
                output.Write("\r\n"u8);
                continue;
            }
            output.WriteField(name, field.Value.Of(source));
        }

        if (edits is null) return;
        for (int i = 0; i < edits.Count; i++)
        {
            if (edits.KindAt(i) == HeadEdits.EditKind.Delete) continue;
            ReadOnlySpan<byte> name = edits.NameAt(i);
            if (edits.RemovesFrom(i + 1, name)) continue;
            output.WriteField(name, edits.ValueAt(i));
        }
    }

    private static bool IsRemoved(KnownHeader known, ReadOnlySpan<byte> name, ReadOnlySpan<byte> source, MessageHead head, HopByHopFields removal) => known switch
    {
        KnownHeader.Connection => (removal & HopByHopFields.Connection) != 0,
        KnownHeader.KeepAlive => (removal & HopByHopFields.KeepAlive) != 0,
        KnownHeader.ProxyConnection => (removal & HopByHopFields.ProxyConnection) != 0,
        KnownHeader.TE => (removal & HopByHopFields.TE) != 0,
        KnownHeader.TransferEncoding => (removal & HopByHopFields.TransferEncoding) != 0,
        KnownHeader.Upgrade => (removal & HopByHopFields.Upgrade) != 0,
        // Fields the proxy interprets are never dropped just because Connection names them.
        KnownHeader.Other => (removal & HopByHopFields.Connection) != 0 && head.IsNamedByConnection(source, name),
        _ => false,
    };
}
