namespace Appliance.IntegrationTests.Http;

/// <summary>
/// <c>http-request replace-path</c> in a backend, the way services behind one port strip their routing prefix.
/// Contract (HAProxy 2.2+, same results from HAProxy 2.6 on this config): the frontend routes on the path as received; the backend's rule then rewrites the
/// path the server sees — the whole path replaced by the format with the regex's groups — and keeps the query.
/// </summary>
public sealed class PathRewriteTests(ITestOutputHelper output)
{
    [Fact]
    public void EachServiceSeesItsPathWithoutTheRoutingPrefix()
    {
        using var scratch = new ScratchDirectory();
        using var orders = BackendProcess.StartRecordingOrigin(scratch, "orders");
        using var users = BackendProcess.StartRecordingOrigin(scratch, "users");
        int port = FreePort.Next();
        using var proxy = ApplianceProcess.Start(scratch, $$"""
            {{ConfigTemplates.Global(nbthread: 1)}}
            {{ConfigTemplates.HttpDefaults}}

            frontend fe
                bind 127.0.0.1:{{port}}
                use_backend be_orders if { path_beg /orders }
                use_backend be_users if { path_beg /users/ }

            backend be_orders
                http-request replace-path ^/orders/?(.*) /\1
                server orders {{orders.Address}}

            backend be_users
                http-request replace-path ^/users(/.*) \1
                server users {{users.Address}}
            """, output);

        using var connection = LoopbackConnection.Open(port);
        foreach (string target in (string[])["/orders/42?expand=1", "/orders", "/users/7/profile", "/orders/a/b/"])
        {
            connection.SendText(HttpRequests.Get(target));
            Assert.Equal(200, HttpResponse.Read(connection).Status);
        }

        Assert.Equal(["/42?expand=1", "/", "/a/b/"], orders.ReadRecord().Requests.Select(r => r.Target));
        Assert.Equal(["/7/profile"], users.ReadRecord().Requests.Select(r => r.Target));
    }
}
