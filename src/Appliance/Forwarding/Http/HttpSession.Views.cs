using Appliance.Balancing;
using Appliance.Config.Model;
using Appliance.Engine;
using Appliance.Http;
using Appliance.Logging;
using Appliance.Native;
using Appliance.Routing;
using Appliance.Rules;
using static Appliance.Native.LinuxConstants;

namespace Appliance.Forwarding.Http;

/// <summary>The parsed heads seen through <see cref="IRequestView"/> and <see cref="IResponseView"/> (routing and rules). Valid while the head is in its buffer.</summary>
internal sealed partial class HttpSession
{
    // IRequestView over the parsed head, for routing. Valid while the head is in the buffer.
    ReadOnlySpan<byte> IRequestView.Method => _requestHead.MethodToken.Of(_request.Data);

    ReadOnlySpan<byte> IRequestView.Url => _requestHead.Target.Of(_request.Data);

    ReadOnlySpan<byte> IRequestView.Path => _requestHead.Path.Of(_request.Data);

    bool IRequestView.HasQuery => _requestHead.HasQuery;

    ReadOnlySpan<byte> IRequestView.Query => _requestHead.Query.Of(_request.Data);

    int IRequestView.HeaderFieldCount => _requestHead.Headers.Length;

    ReadOnlySpan<byte> IRequestView.HeaderFieldName(int index) => _requestHead.Headers[index].Name.Of(_request.Data);

    ReadOnlySpan<byte> IRequestView.HeaderFieldValue(int index) => _requestHead.Headers[index].Value.Of(_request.Data);

    ReadOnlySpan<byte> IRequestView.SourceAddress => SocketAddress.IpBytes(_peerAddress);

    // IResponseView over the parsed response head, for http-response rules. Valid while the head is in the buffer.
    int IResponseView.StatusCode => _responseHead.StatusCode;

    int IResponseView.HeaderFieldCount => _responseHead.Headers.Length;

    ReadOnlySpan<byte> IResponseView.HeaderFieldName(int index) => _responseHead.Headers[index].Name.Of(_response.Data);

    ReadOnlySpan<byte> IResponseView.HeaderFieldValue(int index) => _responseHead.Headers[index].Value.Of(_response.Data);
}
