namespace Appliance.Config.Model;

/// <summary>A status code or an inclusive range of them (<c>200</c>, <c>200-399</c>) of <c>http-check expect status</c>.</summary>
public readonly record struct StatusCodeRange(int First, int Last)
{
    public bool Contains(int status) => status >= First && status <= Last;

    public override string ToString() => First == Last ? First.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{First}-{Last}";
}
