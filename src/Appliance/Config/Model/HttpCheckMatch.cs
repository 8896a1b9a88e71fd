namespace Appliance.Config.Model;

/// <summary>What an <c>http-check expect</c> line tests.</summary>
public enum HttpCheckMatch
{
    /// <summary><c>status &lt;codes&gt;</c>: the status code is one of a list of codes and ranges.</summary>
    StatusCodes,
    /// <summary><c>rstatus &lt;regex&gt;</c>: the three status digits match a regular expression.</summary>
    StatusRegex,
    /// <summary><c>string &lt;text&gt;</c>: the body contains the text.</summary>
    BodyText,
    /// <summary><c>rstring &lt;regex&gt;</c>: the body matches a regular expression.</summary>
    BodyRegex,
}
