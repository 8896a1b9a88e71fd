namespace Appliance.Config.Keywords;

/// <summary>What the appliance does with a keyword it recognises.</summary>
internal enum KeywordStatus
{
    /// <summary>Parsed, validated and used.</summary>
    Implemented,
    /// <summary>
    /// Accepted with a "not implemented yet, ignored" warning: ignoring it leaves traffic flowing as the
    /// file intends in the common case (logging, error pages, TLS defaults for binds we refuse anyway…).
    /// </summary>
    Ignored,
    /// <summary>Refused with "not supported yet": ignoring it would silently change where or how traffic goes.</summary>
    Unsupported,
}
