namespace Appliance.Rules;

/// <summary>What a rule tells the evaluator after running.</summary>
internal enum RuleStep
{
    /// <summary>Evaluate the next rule.</summary>
    Next,
    /// <summary><c>allow</c>: this section's remaining rules are skipped; the message goes on.</summary>
    StopSection,
    /// <summary>The rule set the run's reply (deny, return, redirect): stop and answer.</summary>
    Reply,
    /// <summary>A rewrite failed: stop and answer the failure page.</summary>
    Failed,
}
