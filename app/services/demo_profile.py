"""The demo desk's set-up and proportions, shaped after the real ServiceNow incident log
(UCI data set 498, 24,918 incidents, 2016-2017) in ``shared/data``.

Figures measured on that log are quoted next to each weight. Where the log shows a desk in
trouble (its P1s met their SLA 1.9% of the time and took longer than P3s), the demo does not copy
it: it keeps the shape (long tails, reassignments, ping-pong) and gives P1 the fastest fixes.
"""

from __future__ import annotations

from app.models import Level, Role

#: name: (lowest tier authorised to resolve, weight, title templates). Weights follow the log's
#: twelve largest categories (14.3%, 13.4%, 10.8%, 9.8%, 6.1%, 4.6%, ...).
CATEGORIES: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "Password & sign-in": (
        "L1",
        14.3,
        ("Locked out of {system}", "Password expired for {system}", "MFA prompt loops on {system}"),
    ),
    "Email & calendar": (
        "L1",
        13.4,
        ("Mailbox full", "Shared calendar not syncing", "Cannot send mail to {partner}"),
    ),
    "Laptop & desktop": (
        "L2",
        10.8,
        ("Laptop will not boot", "Docking station not detected", "Blue screen after update"),
    ),
    "Printing": ("L1", 9.8, ("Printer {floor} offline", "Print jobs stuck in the queue")),
    "Network & VPN": (
        "L2",
        6.1,
        ("VPN drops every few minutes", "No network {floor}", "Wi-Fi slow in {room}"),
    ),
    "Business applications": (
        "L2",
        4.6,
        ("{system} shows error 500", "Report export fails in {system}", "{system} very slow"),
    ),
    "Access requests": ("L1", 4.6, ("Access to {share} share", "New starter needs {system}")),
    "Phones & mobile": ("L1", 4.3, ("Phone cannot enrol", "Voicemail not working")),
    "Servers & storage": (
        "L3",
        4.2,
        ("File server {share} unreachable", "Disk almost full on {server}", "Backup failed"),
    ),
    "Databases": ("L3", 3.9, ("Deadlocks on {system} database", "Replication lag on {server}")),
    "Security incident": ("L3", 3.3, ("Phishing mail clicked", "Suspicious sign-in to {system}")),
    "Software installation": ("L1", 3.0, ("Install {software}", "Licence for {software}")),
    "Hardware warranty": ("Vendor", 1.2, ("Replace failed disk in {server}", "Screen defect")),
}

FILLERS: dict[str, tuple[str, ...]] = {
    "system": ("SAP", "Salesforce", "Workday", "Jira", "Intranet", "Outlook", "Teams"),
    "partner": ("the auditors", "a supplier", "the bank"),
    "floor": ("on the 3rd floor", "on the 2nd floor", "at reception", "in the lab"),
    "room": ("meeting room B", "the canteen", "the warehouse"),
    "share": ("Finance", "HR", "Projects", "Legal"),
    "server": ("srv-files-02", "db-prod-01", "app-erp-03"),
    "software": ("Visio", "Adobe Acrobat", "Python", "Power BI"),
}

#: login: (display name, role, tiers worked). 11 people across the four roles.
PEOPLE: dict[str, tuple[str, Role, tuple[str, ...]]] = {
    "lena.lindqvist": ("Lena Lindqvist", Role.AGENT, ("L1",)),
    "omar.haddad": ("Omar Haddad", Role.AGENT, ("L1",)),
    "priya.nair": ("Priya Nair", Role.AGENT, ("L1",)),
    "tom.becker": ("Tom Becker", Role.AGENT, ("L2",)),
    "chen.wei": ("Chen Wei", Role.AGENT, ("L2", "L3")),
    "ines.duarte": ("Ines Duarte", Role.AGENT, ("L3",)),
    "kofi.mensah": ("Kofi Mensah", Role.AGENT, ("L3",)),
    "vendor.support": ("Northwind Support (vendor)", Role.AGENT, ("Vendor",)),
    "sara.kowalski": ("Sara Kowalski", Role.SUPERVISOR, ("L1", "L2")),
    "max.mustermann": ("Max Mustermann", Role.MANAGER, ()),
    "ada.admin": ("Ada Admin", Role.ADMIN, ()),
}
SUPERVISOR = "sara.kowalski"

#: Impact and urgency draws. The log is 95% medium/medium (94% P3); the demo flattens that to
#: roughly P1 3%, P2 13%, P3 62%, P4 22% so that every priority shows on the board.
IMPACT_WEIGHTS = {Level.HIGH: 0.10, Level.MEDIUM: 0.68, Level.LOW: 0.22}
URGENCY_WEIGHTS = {Level.HIGH: 0.12, Level.MEDIUM: 0.66, Level.LOW: 0.22}

#: Entry tier: most tickets start at L1 (in the log the L1 service desk group is first on 84.5%
#: of the incidents it touches).
ENTRY_TIER_WEIGHTS = (0.86, 0.10, 0.04)

#: Extra tier moves beyond those a category forces (log reassignment counts: 0 = 54.4%,
#: 1 = 25.0%, 2 = 9.2%, 3 = 5.0%, 4 = 2.8%, 5+ = 3.7%).
EXTRA_MOVES_WEIGHTS = (0.56, 0.25, 0.09, 0.05, 0.03, 0.02)
#: Share of moves that go back down (ping-pong in 10.6% of the log's incidents).
HAND_BACK_SHARE = 0.35
#: Share of up-moves from the top internal tier that go to the vendor (1.4% reach a vendor).
VENDOR_ESCALATION_SHARE = 0.08
#: Supervisors jump a ticket past a tier in this share of forced multi-step escalations.
JUMP_SHARE = 0.15

#: Median hours from opening to resolution per priority, with a log-normal spread (the log's
#: median is 22 h, p90 382 h; P4 median 5 h).
MEDIAN_RESOLUTION_HOURS = {"P1": 3.0, "P2": 9.0, "P3": 22.0, "P4": 16.0}
RESOLUTION_SIGMA = 1.5
MAX_RESOLUTION_HOURS = 24 * 60

WAITING_ON_CUSTOMER_SHARE = 0.22  # 22% of the log's incidents wait on the user at some point
REOPEN_SHARE = 0.011  # 98.9% are never reopened
COMMENT_SHARE = 0.55
AUTO_CLOSE_DAYS = (3.0, 7.0)  # the log's median opened-to-closed is 6 days
HISTORY_DAYS = 90

#: Share of tickets opened per hour of the day (0-23) and per weekday (Mon-Sun), from the log.
HOUR_WEIGHTS = (
    1.08, 0.89, 0.60, 0.49, 0.51, 0.53, 1.28, 2.30, 10.22, 12.10, 11.61, 9.91,
    5.39, 6.60, 9.05, 8.55, 7.49, 4.31, 1.87, 1.19, 0.91, 1.44, 0.98, 0.69,
)  # fmt: skip
WEEKDAY_WEIGHTS = (23.87, 19.87, 19.60, 16.47, 15.37, 2.56, 2.26)

REQUESTER_FIRST = (
    "Anna", "Ben", "Carla", "David", "Elif", "Femi", "Greta", "Hiro", "Ivan", "Julia", "Karim",
    "Laura", "Mateo", "Nora", "Oscar", "Paula", "Quentin", "Rosa", "Sven", "Tara", "Umar", "Vera",
)  # fmt: skip
REQUESTER_LAST = (
    "Schmidt", "Rossi", "Novak", "Garcia", "Jensen", "Okafor", "Tanaka", "Silva", "Dubois",
    "Kowalczyk", "Andersson", "Murphy", "Yilmaz", "Costa", "Fischer", "Moreau", "Patel",
)  # fmt: skip

COMMENTS = (
    "Called the user, reproduced the problem.",
    "Asked the user for a screenshot of the error.",
    "Checked the logs; nothing obvious yet.",
    "Workaround given while we look for the cause.",
    "Reproduced on a test machine.",
)
HAND_BACK_NOTES = (
    "Known error: follow KB article 214 at L1.",
    "Not an infrastructure fault; user-side configuration.",
    "Needs the user's device on site; back to the desk.",
)
RESOLUTIONS = (
    "Reset and verified with the user.",
    "Configuration corrected.",
    "Replaced the faulty part.",
    "Patched and restarted the service.",
    "Guided the user through the fix.",
)
