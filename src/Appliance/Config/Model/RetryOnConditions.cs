namespace Appliance.Config.Model;

/// <summary>
/// <c>retry-on</c>: which failures of a request may be retried (HAProxy's default is
/// <see cref="ConnectionFailure"/> only). Failures after the request was sent are retried only for
/// requests that can be replayed safely: idempotent, without a body.
/// </summary>
[Flags]
public enum RetryOnConditions
{
    None = 0,
    ConnectionFailure = 1 << 0,
    EmptyResponse = 1 << 1,
    JunkResponse = 1 << 2,
    ResponseTimeout = 1 << 3,
    Status404 = 1 << 4,
    Status408 = 1 << 5,
    Status425 = 1 << 6,
    Status500 = 1 << 7,
    Status501 = 1 << 8,
    Status502 = 1 << 9,
    Status503 = 1 << 10,
    Status504 = 1 << 11,
    /// <summary>HAProxy's <c>all-retryable-errors</c>.</summary>
    AllRetryableErrors = ConnectionFailure | EmptyResponse | JunkResponse | ResponseTimeout | Status500 | Status502 | Status503 | Status504,
}
