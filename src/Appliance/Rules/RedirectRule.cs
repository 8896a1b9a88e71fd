using Appliance.Config.Model;
using Appliance.Http;
using Appliance.Routing;
using Appliance.Routing.Acls;
using Appliance.Routing.Samples;

namespace Appliance.Rules;

/// <summary>
/// <c>redirect location|prefix|scheme</c>. A fixed location is a response prepared at compile time;
/// any other is composed per request into the caller's reply buffer from prepared head and tail bytes
/// and the request's path, query and Host — no allocation. A composed location that is not a valid
/// field value, or a response larger than the buffer, fails the rewrite.
/// </summary>
internal sealed class RedirectRule : CompiledRule
{
    private static readonly byte[] HostName = "host"u8.ToArray();

    private readonly RedirectKind _kind;
    private readonly LogFormat _target;
    private readonly int _code;
    private readonly bool _dropQuery;
    private readonly bool _appendSlash;
    private readonly bool _ignoreEmpty;
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly byte[]? _prepared;

    public RedirectRule(Condition? condition, SourceLocation location, RedirectAction action, LogFormat target) : base(condition, location)
    {
        _kind = action.Kind;
        _target = target;
        _code = action.Code;
        _dropQuery = action.DropQuery;
        _appendSlash = action.AppendSlash;
        _ignoreEmpty = action.IgnoreEmpty;
        _head = HttpReplyBuilder.RedirectHead(action.Code);
        _tail = HttpReplyBuilder.RedirectTail(action.Code, action.Cookie);
        if (_kind == RedirectKind.Location && target.IsConstant && !(_ignoreEmpty && target.Constant.Length == 0))
        {
            _prepared = [.. _head, .. target.Constant, .. _tail];
        }
    }

    public override RuleStep Apply(ref RuleRun run)
    {
        if (_prepared is not null) return run.Reply(RuleVerdict.Redirect, _code, _prepared);
        _target.TryEvaluate(run.View, requireSamples: false, out ReadOnlySpan<byte> target);
        if (_ignoreEmpty && target.IsEmpty) return RuleStep.Next;

        Span<byte> buffer = run.ReplyBuffer;
        var output = new OutputCursor(buffer);
        output.Write(_head);
        int locationStart = output.Position;
        switch (_kind)
        {
            case RedirectKind.Location:
                output.Write(target);
                break;
            case RedirectKind.Prefix:
                // HAProxy: a prefix of exactly "/" adds nothing, so "prefix /" redirects to the same URL.
                if (!(target.Length == 1 && target[0] == '/')) output.Write(target);
                WritePathAndQuery(ref output, run.View);
                break;
            default:
                output.Write(target);
                output.Write("://"u8);
                output.Write(FirstHost(run.View));
                WritePathAndQuery(ref output, run.View);
                break;
        }
        if (output.Overflowed) return RuleStep.Failed;
        if (_appendSlash && _kind != RedirectKind.Location && output.Position > locationStart && buffer[output.Position - 1] != '/')
        {
            output.Write((byte)'/');
        }
        if (output.Overflowed || buffer[locationStart..output.Position].ContainsAnyExcept(HttpCharacterClasses.FieldValue)) return RuleStep.Failed;
        output.Write(_tail);
        if (output.Overflowed) return RuleStep.Failed;
        return run.Reply(RuleVerdict.Redirect, _code, buffer[..output.Position]);
    }

    /// <summary>The path ("/" when the target has none) and, unless dropped, '?' and the query.</summary>
    private void WritePathAndQuery(ref OutputCursor output, IRequestView request)
    {
        ReadOnlySpan<byte> path = request.Path;
        output.Write(path.IsEmpty ? "/"u8 : path);
        if (!_dropQuery && request.HasQuery)
        {
            output.Write((byte)'?');
            output.Write(request.Query);
        }
    }

    /// <summary>The first Host field's whole value; empty without one (browsers then keep the current host).</summary>
    private static ReadOnlySpan<byte> FirstHost(IRequestView request) =>
        Routing.HeaderValues.TryGet(request, HostName, 1, splitCommas: false, out ReadOnlySpan<byte> host) ? host : default;
}
