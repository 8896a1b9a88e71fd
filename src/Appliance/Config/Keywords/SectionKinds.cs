namespace Appliance.Config.Keywords;

/// <summary>
/// The section types a keyword may appear in. A <c>listen</c> section has both frontend and backend
/// capabilities, so it is <see cref="Frontend"/> | <see cref="Backend"/> and accepts what either accepts.
/// </summary>
[Flags]
internal enum SectionKinds
{
    None = 0,
    Global = 1,
    Defaults = 2,
    Frontend = 4,
    Backend = 8,
    Listen = Frontend | Backend,
    AllProxies = Defaults | Frontend | Backend,
}
