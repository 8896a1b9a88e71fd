namespace Appliance.Metrics;

/// <summary>Which groups of metrics a scrape asks for (HAProxy's exporter <c>?scope=</c>); all by default.</summary>
[Flags]
internal enum MetricsScope
{
    None = 0,
    Global = 1,
    Frontend = 2,
    Backend = 4,
    Server = 8,
    All = Global | Frontend | Backend | Server,
}
