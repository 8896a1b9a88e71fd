namespace Appliance.Routing.Patterns;

/// <summary>HAProxy's pattern matching methods (<c>-m NAME</c>) that this proxy implements.</summary>
internal enum MatchMethod
{
    /// <summary><c>found</c>: the sample exists; patterns are ignored.</summary>
    Found,
    /// <summary><c>bool</c>: an integer sample is non-zero (or a boolean fetch is true).</summary>
    Bool,
    /// <summary><c>int</c>: integer value against values, ranges and <c>eq/ge/gt/le/lt</c>.</summary>
    Int,
    /// <summary><c>ip</c>: address against IPv4/IPv6 addresses and networks.</summary>
    Ip,
    /// <summary><c>len</c>: a string's length as an integer.</summary>
    Len,
    /// <summary><c>str</c>: exact string.</summary>
    Str,
    /// <summary><c>beg</c>: prefix.</summary>
    Beg,
    /// <summary><c>end</c>: suffix.</summary>
    End,
    /// <summary><c>sub</c>: substring.</summary>
    Sub,
    /// <summary><c>dir</c>: '/'- or '?'-delimited word sequence.</summary>
    Dir,
    /// <summary><c>dom</c>: '/', '?', '.' or ':'-delimited word sequence.</summary>
    Dom,
    /// <summary><c>reg</c>: regular expression (unanchored search).</summary>
    Reg,
}
