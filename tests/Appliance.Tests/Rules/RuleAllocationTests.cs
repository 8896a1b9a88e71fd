using Appliance.Tests.Support;
using Appliance.Http;
using Appliance.Rules;

namespace Appliance.Tests.Rules;

/// <summary>Rules evaluate without allocating once warm: shards run them per request with no GC pressure.</summary>
public sealed class RuleAllocationTests
{
    [Fact]
    public void Ten_thousand_requests_through_set_header_and_conditions_allocate_nothing()
    {
        RulesHarness harness = RulesHarness.Load("""
            defaults
             mode http
            frontend f
             bind :8080
             acl api path_beg /api
             acl internal src 10.0.0.0/8
             http-request set-header X-Api yes if api
             http-request set-header X-Host %[req.hdr(host),lower] unless internal
             http-request add-header X-Client %[src] if { hdr(x-trace) -m found }
             http-request del-header X-Secret
             http-request set-path /v2%[path] if { path_beg /old/ }
             http-request replace-path ^/legacy/.* /moved
             http-request replace-path ^/never/(.*) /\1
             http-request replace-path ^/strip(/.*) \1 if { path_beg /strip/ }
             http-request replace-path ^/strip/(.*) /\1
             http-request redirect prefix https://secure.example.com if { path_beg /login }
             http-request deny deny_status 429 if { path /slow }
             use_backend api if api
             default_backend web
            backend api
             http-request set-header X-Backend api
             http-response set-header Cache-Control no-store if { status 200 }
             server s 127.0.0.1:9000
            backend web
             server s 127.0.0.1:9001
            """);
        ParsedRequest[] requests =
        [
            new("GET /api/users HTTP/1.1\r\nHost: Example.COM\r\nX-Secret: 1\r\n\r\n"),
            new("GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nX-Trace: on\r\n\r\n", client: "10.1.2.3"),
            new("GET /old/page?q=1 HTTP/1.1\r\nHost: h\r\n\r\n", client: "2001:db8::5"),
            new("GET /login?next=/ HTTP/1.1\r\nHost: h\r\n\r\n"),
            new("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n"),
            // A replacement without group references; a regex that does not match: no allocation either.
            new("GET /legacy/a HTTP/1.1\r\nHost: h\r\n\r\n"),
            // A prefix stripped through a group (the regex-free form).
            new("GET /strip/x/y?z HTTP/1.1\r\nHost: h\r\n\r\n"),
        ];
        var response = new ParsedResponse("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        var evaluator = new HttpRuleEvaluator();
        var edits = new HeadEdits();
        var reply = new byte[16384];
        var output = new byte[16384];
        HttpRuleSet frontend = harness.Frontend();
        byte[] client = [192, 0, 2, 10];

        long Play(ParsedRequest request)
        {
            edits.Clear();
            RuleOutcome outcome = evaluator.EvaluateFrontendRequest(frontend, request, edits, reply);
            if (outcome.IsFinal) return outcome.Status + outcome.Response.Length;
            int backend = harness.Compiled.Routes[0].SelectBackend(evaluator.Request);
            HttpRuleSet backendRules = harness.Compiled.BackendRules[backend];
            outcome = evaluator.EvaluateBackendRequest(backendRules, reply);
            if (outcome.IsFinal) return outcome.Status;
            Assert.True(HeadWriter.TryWriteRequest(request.Source, request.Head, HopByHopFields.Forwarding, edits, output, out int written));
            edits.Clear();
            Assert.True(evaluator.EvaluateResponse(frontend, backendRules, response, client, edits));
            return written + edits.Count;
        }

        // Warm-up: JIT, thread-static scratch buffers, the views' index tables.
        long checksum = 0;
        for (int round = 0; round < 200; round++)
        {
            foreach (ParsedRequest request in requests) checksum += Play(request);
        }
        long allocated = SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 10_000; i++) checksum += Play(requests[i % requests.Length]);
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);

        // The loop took every path: edits, routing, backend rules, a composed redirect, a prepared deny.
        Assert.Equal("api", harness.Request("GET /api/users HTTP/1.1\r\nHost: h\r\n\r\n").Backend);
        Assert.Equal(RuleVerdict.Redirect, harness.Request("GET /login HTTP/1.1\r\nHost: h\r\n\r\n").Verdict);
        Assert.Equal(RuleVerdict.Deny, harness.Request("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n").Verdict);
    }
}
