using Appliance.Http;
using Appliance.Routing;

namespace Appliance.Rules;

/// <summary>
/// The response as <c>http-response</c> rules have left it. It is also an <see cref="IRequestView"/>
/// whose header fields are the response's and whose request line is empty: conditions and values are
/// compiled over request views, <c>hdr()</c> must read the response here (HAProxy), fetches of the
/// request were dropped when the rules were compiled, and <c>src</c> still answers. One per connection.
/// </summary>
internal sealed class EditedResponseView : EditedHeaderFields, IRequestView, IResponseView
{
    private readonly byte[] _client = new byte[16];
    private IResponseView _received = null!;
    private int _clientLength;

    public void Begin(IResponseView received, ReadOnlySpan<byte> clientAddress, HeadEdits edits)
    {
        _received = received;
        _clientLength = Math.Min(clientAddress.Length, _client.Length);
        clientAddress[.._clientLength].CopyTo(_client);
        BeginMessage(edits);
    }

    public int StatusCode => _received.StatusCode;

    public ReadOnlySpan<byte> Method => default;

    public ReadOnlySpan<byte> Url => default;

    public ReadOnlySpan<byte> Path => default;

    public bool HasQuery => false;

    public ReadOnlySpan<byte> Query => default;

    public int HeaderFieldCount => FieldCount;

    public ReadOnlySpan<byte> HeaderFieldName(int index) => FieldName(index);

    public ReadOnlySpan<byte> HeaderFieldValue(int index) => FieldValue(index);

    public ReadOnlySpan<byte> SourceAddress => _client.AsSpan(0, _clientLength);

    protected override int ReceivedFieldCount => _received.HeaderFieldCount;

    protected override ReadOnlySpan<byte> ReceivedFieldName(int index) => _received.HeaderFieldName(index);

    protected override ReadOnlySpan<byte> ReceivedFieldValue(int index) => _received.HeaderFieldValue(index);
}
