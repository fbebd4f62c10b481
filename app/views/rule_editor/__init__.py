"""The rules dialog's editor: one rule's name, trigger, conditions (all / any / not groups) and
actions as widgets that read and write the rule's JSON form, and put each problem of a check
next to the field it names (``conditions[0].any[1].value``)."""
