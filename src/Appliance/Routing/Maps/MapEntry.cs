namespace Appliance.Routing.Maps;

/// <summary>One <c>key value</c> line of a map, in file (or runtime insertion) order.</summary>
public readonly record struct MapEntry(string Key, string Value);
