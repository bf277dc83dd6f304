"""Due diligence after the award: the organisation's workflow policy and its plain rules.

``policy`` (monitoring frequency by risk, corrective-action deadlines by severity, grievance
timers) and ``rules`` (due and overdue checks, deadlines, the escalation ladder) hold no Django:
the web apps ``monitoring``, ``findings`` and ``grievances`` load, call and render them.
"""
