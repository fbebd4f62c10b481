<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>ActionBuilder</name>
    <message>
        <source>+ Action</source>
        <translation>+ Aktion</translation>
    </message>
    <message>
        <source>Then, in order:</source>
        <translation>Dann, der Reihe nach:</translation>
    </message>
</context>
<context>
    <name>ActionRow</name>
    <message>
        <source>Move to tier</source>
        <translation>In Stufe verschieben</translation>
    </message>
    <message>
        <source>Assign to</source>
        <translation>Zuweisen an</translation>
    </message>
    <message>
        <source>Unassign</source>
        <translation>Zuweisung aufheben</translation>
    </message>
    <message>
        <source>Set priority</source>
        <translation>Priorität setzen</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Status setzen</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Kommentar hinzufügen</translation>
    </message>
    <message>
        <source>Notify</source>
        <translation>Benachrichtigen</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>users</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Remove this action</source>
        <translation>Diese Aktion entfernen</translation>
    </message>
    <message>
        <source>up (next tier)</source>
        <translation>hoch (nächste Stufe)</translation>
    </message>
    <message>
        <source>down (previous tier)</source>
        <translation>runter (vorige Stufe)</translation>
    </message>
    <message>
        <source>the comment</source>
        <translation>der Kommentar</translation>
    </message>
    <message>
        <source>people</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>supervisors</source>
        <translation>Supervisoren</translation>
    </message>
    <message>
        <source>message (optional)</source>
        <translation>Nachricht (optional)</translation>
    </message>
</context>
<context>
    <name>AlertNotifier</name>
    <message numerus="yes">
        <source>%n SLA alerts</source>
        <translation>
            <numerusform>%n SLA-Warnung</numerusform>
            <numerusform>%n SLA-Warnungen</numerusform>
        </translation>
    </message>
    <message>
        <source>Tickets {keys}</source>
        <translation>Tickets {keys}</translation>
    </message>
</context>
<context>
    <name>BadRowsModel</name>
    <message>
        <source>Row</source>
        <translation>Zeile</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Move &amp;up a tier</source>
        <translation>Eine Stufe &amp;hoch</translation>
    </message>
    <message>
        <source>Move &amp;down a tier</source>
        <translation>Eine Stufe &amp;runter</translation>
    </message>
    <message>
        <source>Assign to &amp;me</source>
        <translation>&amp;Mir zuweisen</translation>
    </message>
    <message>
        <source>{shown} of </source>
        <translation>{shown} von </translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Gelöst</translation>
    </message>
    <message>
        <source>{key} cannot be moved to {target}</source>
        <translation>{key} kann nicht nach {target} verschoben werden</translation>
    </message>
    <message>
        <source>{login} is a manager: managers read tickets, not change them</source>
        <translation>{login} ist Manager: Manager lesen Tickets, ändern sie aber nicht</translation>
    </message>
    <message>
        <source>{login} does not work {tier}, so cannot move {key}</source>
        <translation>{login} arbeitet nicht in {tier} und kann {key} daher nicht verschieben</translation>
    </message>
    <message>
        <source>only supervisors may jump tiers ({key} {tier} → {target})</source>
        <translation>nur Supervisoren dürfen Stufen überspringen ({key} {tier} → {target})</translation>
    </message>
    <message>
        <source>Tickets cannot be dropped on {target}</source>
        <translation>Tickets können nicht auf {target} abgelegt werden</translation>
    </message>
    <message>
        <source>Hand back {keys}</source>
        <translation>{keys} zurückgeben</translation>
    </message>
    <message numerus="yes">
        <source>Hand back %n tickets</source>
        <translation>
            <numerusform>%n Ticket zurückgeben</numerusform>
            <numerusform>%n Tickets zurückgeben</numerusform>
        </translation>
    </message>
    <message>
        <source>Why does {keys} go back to {tier}? The tier there will read this.</source>
        <translation>Warum geht {keys} zurück an {tier}? Die Stufe dort liest diese Begründung.</translation>
    </message>
    <message>
        <source>Hand back</source>
        <translation>Zurückgeben</translation>
    </message>
    <message>
        <source>{key} was not moved</source>
        <translation>{key} wurde nicht verschoben</translation>
    </message>
    <message>
        <source>{tier} is the top of the ladder</source>
        <translation>{tier} ist die oberste Stufe</translation>
    </message>
    <message>
        <source>{tier} is the bottom of the ladder</source>
        <translation>{tier} ist die unterste Stufe</translation>
    </message>
    <message>
        <source>{key} was not taken</source>
        <translation>{key} wurde nicht übernommen</translation>
    </message>
</context>
<context>
    <name>CalendarsPage</name>
    <message>
        <source>{part} is not a window such as 08:00-18:00</source>
        <translation>{part} ist kein Zeitfenster wie 08:00-18:00</translation>
    </message>
    <message>
        <source>{text} is not a time of day HH:MM</source>
        <translation>{text} ist keine Uhrzeit HH:MM</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Montag</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Dienstag</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Mittwoch</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Donnerstag</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Freitag</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Samstag</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Sonntag</translation>
    </message>
    <message>
        <source>Business calendars</source>
        <translation>Geschäftskalender</translation>
    </message>
    <message>
        <source>Add calendar</source>
        <translation>Kalender hinzufügen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>closed  (e.g. 08:00-12:00, 13:00-18:00)</source>
        <translation>geschlossen  (z. B. 08:00-12:00, 13:00-18:00)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Auswahl entfernen</translation>
    </message>
    <message>
        <source>country, e.g. DE</source>
        <translation>Land, z. B. DE</translation>
    </message>
    <message>
        <source>region (optional)</source>
        <translation>Region (optional)</translation>
    </message>
    <message>
        <source>Import public holidays</source>
        <translation>Gesetzliche Feiertage importieren</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Time zone:</source>
        <translation>&amp;Zeitzone:</translation>
    </message>
    <message>
        <source>{day}:</source>
        <translation>{day}:</translation>
    </message>
    <message>
        <source>Holidays (no working time all day)</source>
        <translation>Feiertage (ganztägig keine Arbeitszeit)</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>New calendar</source>
        <translation>Neuer Kalender</translation>
    </message>
</context>
<context>
    <name>CategoriesPage</name>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Lowest tier that resolves it</source>
        <translation>Unterste Stufe, die sie löst</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Kategorien</translation>
    </message>
    <message>
        <source>&amp;Add category</source>
        <translation>Kategorie &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Each category names the lowest tier allowed to resolve it; tickets below that tier must escalate first. A category that tickets use cannot be removed.</source>
        <translation>Jede Kategorie nennt die unterste Stufe, die sie lösen darf; Tickets unterhalb dieser Stufe müssen zuerst eskalieren. Eine Kategorie, die Tickets verwenden, kann nicht entfernt werden.</translation>
    </message>
    <message>
        <source>in row {row}</source>
        <translation>in Zeile {row}</translation>
    </message>
    <message>
        <source>Category {label}, {column}: {message}</source>
        <translation>Kategorie {label}, {column}: {message}</translation>
    </message>
    <message>
        <source>{code} (retired)</source>
        <translation>{code} (stillgelegt)</translation>
    </message>
    <message>
        <source>{choice} (not on the ladder)</source>
        <translation>{choice} (nicht in der Stufenfolge)</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>Neue Kategorie</translation>
    </message>
</context>
<context>
    <name>ConditionGroup</name>
    <message>
        <source>All of these hold</source>
        <translation>Alle diese gelten</translation>
    </message>
    <message>
        <source>Any of these holds</source>
        <translation>Mindestens eine gilt</translation>
    </message>
    <message>
        <source>None of these holds</source>
        <translation>Keine davon gilt</translation>
    </message>
    <message>
        <source>Not all of these hold</source>
        <translation>Nicht alle gelten</translation>
    </message>
    <message>
        <source>All of these must hold:</source>
        <translation>Alle diese Bedingungen müssen gelten:</translation>
    </message>
    <message>
        <source>+ Condition</source>
        <translation>+ Bedingung</translation>
    </message>
    <message>
        <source>+ Group</source>
        <translation>+ Gruppe</translation>
    </message>
    <message>
        <source>Remove this group and its conditions</source>
        <translation>Diese Gruppe und ihre Bedingungen entfernen</translation>
    </message>
    <message>
        <source>No conditions: the rule acts on every ticket its trigger sees.</source>
        <translation>Keine Bedingungen: Die Regel wirkt auf jedes Ticket, das ihr Auslöser sieht.</translation>
    </message>
</context>
<context>
    <name>ConditionRow</name>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>Auswirkung</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Dringlichkeit</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>Melder</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Times reopened</source>
        <translation>Anzahl Wiedereröffnungen</translation>
    </message>
    <message>
        <source>Escalations so far</source>
        <translation>Bisherige Eskalationen</translation>
    </message>
    <message>
        <source>is one of</source>
        <translation>ist eines von</translation>
    </message>
    <message>
        <source>is none of</source>
        <translation>ist keines von</translation>
    </message>
    <message>
        <source>is at least</source>
        <translation>ist mindestens</translation>
    </message>
    <message>
        <source>is at most</source>
        <translation>ist höchstens</translation>
    </message>
    <message>
        <source>is nobody</source>
        <translation>ist niemand</translation>
    </message>
    <message>
        <source>is someone</source>
        <translation>ist jemand</translation>
    </message>
    <message>
        <source>equals</source>
        <translation>ist gleich</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>enthält</translation>
    </message>
    <message>
        <source>matches regex</source>
        <translation>passt auf Regex</translation>
    </message>
    <message>
        <source>Remove this condition</source>
        <translation>Diese Bedingung entfernen</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>a regular expression, e.g. (?i)vpn|remote</source>
        <translation>ein regulärer Ausdruck, z. B. (?i)vpn|remote</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
</context>
<context>
    <name>ConfigurationDialog</name>
    <message>
        <source>Desk configuration</source>
        <translation>Desk-Konfiguration</translation>
    </message>
    <message>
        <source>Read only: supervisors and admins change the desk&apos;s configuration.</source>
        <translation>Nur lesen: Supervisoren und Admins ändern die Konfiguration des Desks.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>Discard your changes and load the configuration again</source>
        <translation>Ihre Änderungen verwerfen und die Konfiguration neu laden</translation>
    </message>
    <message>
        <source>{count} problem: nothing was saved. It is shown next to its field.</source>
        <translation>{count} Problem: Nichts wurde gespeichert. Es wird neben seinem Feld angezeigt.</translation>
    </message>
    <message>
        <source>{count} problems: nothing was saved. Each is shown next to its field.</source>
        <translation>{count} Probleme: Nichts wurde gespeichert. Jedes wird neben seinem Feld angezeigt.</translation>
    </message>
    <message>
        <source>Press Reload to load their version, then make your changes again.</source>
        <translation>Drücken Sie „Neu laden“, um deren Fassung zu laden, und nehmen Sie Ihre Änderungen dann erneut vor.</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connect TierDesk to a database</source>
        <translation>TierDesk mit einer Datenbank verbinden</translation>
    </message>
    <message>
        <source>Embedded file (one desk on this computer)</source>
        <translation>Eingebettete Datei (ein Desk auf diesem Computer)</translation>
    </message>
    <message>
        <source>Shared PostgreSQL server (a team)</source>
        <translation>Gemeinsamer PostgreSQL-Server (ein Team)</translation>
    </message>
    <message>
        <source>/path/to/tierdesk.db</source>
        <translation>/pfad/zu/tierdesk.db</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Verbindung testen</translation>
    </message>
    <message>
        <source>Not tested yet.</source>
        <translation>Noch nicht getestet.</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Host:</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port:</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Datenbank:</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>&lt;b&gt;Database URL&lt;/b&gt;</source>
        <translation>&lt;b&gt;Datenbank-URL&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Choose the database file.</source>
        <translation>Wählen Sie die Datenbankdatei.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s host.</source>
        <translation>Geben Sie den Host des Servers ein.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s database.</source>
        <translation>Geben Sie die Datenbank des Servers ein.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s user.</source>
        <translation>Geben Sie den Benutzer des Servers ein.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>TierDesk database file</source>
        <translation>TierDesk-Datenbankdatei</translation>
    </message>
    <message>
        <source>TierDesk database (*.db);;All files (*)</source>
        <translation>TierDesk-Datenbank (*.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Verbindung wird getestet…</translation>
    </message>
    <message>
        <source>Use for this session</source>
        <translation>Für diese Sitzung verwenden</translation>
    </message>
</context>
<context>
    <name>DeskTools</name>
    <message>
        <source>Desk &amp;configuration…</source>
        <translation>Desk-&amp;Konfiguration…</translation>
    </message>
    <message>
        <source>Tiers, categories, SLA policy and business calendars</source>
        <translation>Stufen, Kategorien, SLA-Richtlinie und Geschäftskalender</translation>
    </message>
    <message>
        <source>Tiers, categories, SLA policy and calendars (read only)</source>
        <translation>Stufen, Kategorien, SLA-Richtlinie und Kalender (nur lesen)</translation>
    </message>
    <message>
        <source>Escalation &amp;rules…</source>
        <translation>Eskalations&amp;regeln…</translation>
    </message>
    <message>
        <source>Rules that move tickets between tier queues</source>
        <translation>Regeln, die Tickets zwischen den Warteschlangen der Stufen verschieben</translation>
    </message>
    <message>
        <source>&amp;Import history…</source>
        <translation>Verlauf &amp;importieren…</translation>
    </message>
    <message>
        <source>Bring in tickets from another service desk</source>
        <translation>Tickets aus einem anderen Service Desk übernehmen</translation>
    </message>
    <message>
        <source>&amp;Desk</source>
        <translation>&amp;Desk</translation>
    </message>
</context>
<context>
    <name>DesktopStartup</name>
    <message>
        <source>Loading the demo desk: {tickets:,} tickets with their history…</source>
        <translation>Demo-Desk wird geladen: {tickets:,} Tickets mit ihrem Verlauf…</translation>
    </message>
    <message>
        <source>Everyone on this desk is disabled, so nobody can sign in. Ask an administrator to enable your account.</source>
        <translation>Alle Personen dieses Desks sind deaktiviert, daher kann sich niemand anmelden. Bitten Sie einen Administrator, Ihr Konto zu aktivieren.</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <source>Welcome to TierDesk</source>
        <translation>Willkommen bei TierDesk</translation>
    </message>
    <message>
        <source>&lt;h3&gt;This desk is new&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;Dieser Desk ist neu&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The database ({database}) has no tiers, people or tickets yet.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Die Datenbank ({database}) hat noch keine Stufen, Personen oder Tickets.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Demo desk&lt;/b&gt;: a realistic desk to try TierDesk on: the L1 → L2 → L3 → Vendor ladder, categories, agents and {tickets:,} tickets with their history.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Demo-Desk&lt;/b&gt;: ein realistischer Desk zum Ausprobieren von TierDesk: die Stufen L1 → L2 → L3 → Vendor, Kategorien, Agenten und {tickets:,} Tickets mit ihrem Verlauf.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Empty desk&lt;/b&gt;: the same ladder, three starter categories, and you (&lt;tt&gt;{login}&lt;/tt&gt;) as the administrator; no tickets.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Leerer Desk&lt;/b&gt;: dieselben Stufen, drei Startkategorien und Sie (&lt;tt&gt;{login}&lt;/tt&gt;) als Administrator; keine Tickets.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Load the demo desk</source>
        <translation>Demo-Desk laden</translation>
    </message>
    <message>
        <source>Start empty</source>
        <translation>Leer beginnen</translation>
    </message>
    <message>
        <source>This build of TierDesk has no demo data</source>
        <translation>Diese TierDesk-Version enthält keine Demodaten</translation>
    </message>
</context>
<context>
    <name>HistoryImportDialog</name>
    <message>
        <source>Import ticket history</source>
        <translation>Ticketverlauf importieren</translation>
    </message>
    <message>
        <source>CSV, CSV.GZ or XLSX event log</source>
        <translation>Ereignisprotokoll als CSV, CSV.GZ oder XLSX</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>mapping.json</source>
        <translation>mapping.json</translation>
    </message>
    <message>
        <source>Choose a file and its mapping.</source>
        <translation>Wählen Sie eine Datei und ihre Zuordnung.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>History file:</source>
        <translation>Verlaufsdatei:</translation>
    </message>
    <message>
        <source>Mapping:</source>
        <translation>Zuordnung:</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>Abgebrochen: Es wurde nichts importiert.</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Datei wird gelesen…</translation>
    </message>
    <message>
        <source>Checking every ticket…</source>
        <translation>Alle Tickets werden geprüft…</translation>
    </message>
    <message>
        <source>Writing tickets and history…</source>
        <translation>Tickets und Verlauf werden geschrieben…</translation>
    </message>
    <message>
        <source>Starting the SLA clocks of open tickets…</source>
        <translation>SLA-Uhren offener Tickets werden gestartet…</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>Import abbrechen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Ticket history to import</source>
        <translation>Zu importierender Ticketverlauf</translation>
    </message>
    <message>
        <source>Event logs (*.csv *.gz *.xlsx);;All files (*)</source>
        <translation>Ereignisprotokolle (*.csv *.gz *.xlsx);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Mapping of the file&apos;s columns</source>
        <translation>Zuordnung der Spalten der Datei</translation>
    </message>
    <message>
        <source>Mapping (*.json);;All files (*)</source>
        <translation>Zuordnung (*.json);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>LiveUpdates</name>
    <message>
        <source>the database does not answer</source>
        <translation>die Datenbank antwortet nicht</translation>
    </message>
</context>
<context>
    <name>MainWindowView</name>
    <message>
        <source>Re&amp;fresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>Reload the list (F5)</source>
        <translation>Liste neu laden (F5)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Board</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Berichte</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>Datenbank: {database}</translation>
    </message>
    <message>
        <source>Signed in as {user}</source>
        <translation>Angemeldet als {user}</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Moved or taken: {keys}</source>
        <translation>Verschoben oder übernommen: {keys}</translation>
    </message>
    <message>
        <source>Connection lost: read-only</source>
        <translation>Verbindung verloren: nur lesen</translation>
    </message>
    <message>
        <source>The database is not answering ({reason}). TierDesk shows what it had loaded and reconnects by itself; changes are off until then.</source>
        <translation>Die Datenbank antwortet nicht ({reason}). TierDesk zeigt, was es geladen hatte, und verbindet sich selbst wieder; bis dahin sind Änderungen gesperrt.</translation>
    </message>
    <message numerus="yes">
        <source> (and %n more SLA alerts)</source>
        <translation>
            <numerusform> (und %n weitere SLA-Warnung)</numerusform>
            <numerusform> (und %n weitere SLA-Warnungen)</numerusform>
        </translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Arbeitet…</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>NewTicketDialog</name>
    <message>
        <source>New ticket</source>
        <translation>Neues Ticket</translation>
    </message>
    <message>
        <source>What is wrong, in a few words</source>
        <translation>Was ist das Problem, in wenigen Worten</translation>
    </message>
    <message>
        <source>Who asks for help</source>
        <translation>Wer bittet um Hilfe</translation>
    </message>
    <message>
        <source>{name}  (resolved at {tier}+)</source>
        <translation>{name}  (gelöst ab {tier})</translation>
    </message>
    <message>
        <source>Optional: steps, error messages, device</source>
        <translation>Optional: Schritte, Fehlermeldungen, Gerät</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Anlegen</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>&amp;Requester:</source>
        <translation>&amp;Melder:</translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation>&amp;Kategorie:</translation>
    </message>
    <message>
        <source>&amp;Impact:</source>
        <translation>&amp;Auswirkung:</translation>
    </message>
    <message>
        <source>&amp;Urgency:</source>
        <translation>&amp;Dringlichkeit:</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Priorität:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>Give the ticket a title.</source>
        <translation>Geben Sie dem Ticket einen Titel.</translation>
    </message>
    <message>
        <source>Say who asks for help (the requester).</source>
        <translation>Geben Sie an, wer um Hilfe bittet (den Melder).</translation>
    </message>
    <message>
        <source>The desk has no categories yet.</source>
        <translation>Der Desk hat noch keine Kategorien.</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Wird angelegt…</translation>
    </message>
    <message>
        <source>{field}: {message}</source>
        <translation>{field}: {message}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{priority}&lt;/b&gt; (from impact × urgency)</source>
        <translation>&lt;b&gt;{priority}&lt;/b&gt; (aus Auswirkung × Dringlichkeit)</translation>
    </message>
</context>
<context>
    <name>PolicyPage</name>
    <message>
        <source>First response</source>
        <translation>Erste Reaktion</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Lösung</translation>
    </message>
    <message>
        <source>Tier clock: minutes at the tier before it escalates</source>
        <translation>Stufen-Uhr: Minuten in der Stufe, bevor es eskaliert</translation>
    </message>
    <message>
        <source>Tier response: minutes until someone at the tier responds</source>
        <translation>Stufen-Reaktion: Minuten, bis jemand in der Stufe reagiert</translation>
    </message>
    <message>
        <source>Customer SLA, from creation</source>
        <translation>Kunden-SLA, ab Erstellung</translation>
    </message>
    <message>
        <source>SLA policy</source>
        <translation>SLA-Richtlinie</translation>
    </message>
    <message>
        <source>This desk runs an SLA policy</source>
        <translation>Dieser Desk arbeitet mit einer SLA-Richtlinie</translation>
    </message>
    <message>
        <source> % of the target</source>
        <translation> % des Ziels</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Calendar:</source>
        <translation>&amp;Kalender:</translation>
    </message>
    <message>
        <source>&amp;Warn at:</source>
        <translation>&amp;Warnen bei:</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <source>Targets in business minutes (an empty cell runs no clock)</source>
        <translation>Ziele in Geschäftsminuten (eine leere Zelle startet keine Uhr)</translation>
    </message>
    <message>
        <source>Clocks stand still while a ticket is</source>
        <translation>Uhren stehen still, solange ein Ticket ist</translation>
    </message>
    <message>
        <source>every clock:</source>
        <translation>jede Uhr:</translation>
    </message>
    <message>
        <source>tier clocks (internal tiers):</source>
        <translation>Stufen-Uhren (interne Stufen):</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>{version} (saving a change makes version {next}; running clocks keep theirs)</source>
        <translation>{version} (eine gespeicherte Änderung ergibt Version {next}; laufende Uhren behalten ihre)</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
    <message>
        <source>{grid}, {cell}: {message}</source>
        <translation>{grid}, {cell}: {message}</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>First day</source>
        <translation>Erster Tag</translation>
    </message>
    <message>
        <source>Last day (inclusive)</source>
        <translation>Letzter Tag (einschließlich)</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Alle Kategorien</translation>
    </message>
    <message>
        <source>Only one category</source>
        <translation>Nur eine Kategorie</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Jede Priorität</translation>
    </message>
    <message>
        <source>Only one priority</source>
        <translation>Nur eine Priorität</translation>
    </message>
    <message>
        <source>All tiers</source>
        <translation>Alle Stufen</translation>
    </message>
    <message>
        <source>Only tickets at one tier</source>
        <translation>Nur Tickets in einer Stufe</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Pro Tag</translation>
    </message>
    <message>
        <source>Per week</source>
        <translation>Pro Woche</translation>
    </message>
    <message>
        <source>The step of the reports over time</source>
        <translation>Die zeitliche Schrittweite der Berichte</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Akt&amp;ualisieren</translation>
    </message>
    <message>
        <source>Compute the reports for these filters</source>
        <translation>Die Berichte für diese Filter berechnen</translation>
    </message>
    <message>
        <source>Export to &amp;Excel…</source>
        <translation>E&amp;xport nach Excel…</translation>
    </message>
    <message>
        <source>Save the reports shown, and every ticket in range, as xlsx</source>
        <translation>Die angezeigten Berichte und jedes Ticket im Zeitraum als xlsx speichern</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Export abbrechen</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Export läuft…</translation>
    </message>
    <message>
        <source>Choose a range and press Refresh.</source>
        <translation>Wählen Sie einen Zeitraum und drücken Sie „Aktualisieren“.</translation>
    </message>
    <message>
        <source>Computing the reports…</source>
        <translation>Die Berichte werden berechnet…</translation>
    </message>
    <message>
        <source>day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>week</source>
        <translation>Woche</translation>
    </message>
    <message>
        <source>{range} · filters: {filters} · per {period} · computed {generated}</source>
        <translation>{range} · Filter: {filters} · pro {period} · berechnet {generated}</translation>
    </message>
    <message>
        <source>No imbalance found against the thresholds set.</source>
        <translation>Kein Ungleichgewicht gegenüber den eingestellten Schwellen gefunden.</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>Export reports to Excel</source>
        <translation>Berichte nach Excel exportieren</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel-Arbeitsmappe (*.xlsx)</translation>
    </message>
    <message>
        <source>{done:,} of {total:,} tickets</source>
        <translation>{done:,} von {total:,} Tickets</translation>
    </message>
    <message>
        <source>{done:,} tickets</source>
        <translation>{done:,} Tickets</translation>
    </message>
    <message>
        <source>The reports could not be computed.</source>
        <translation>Die Berichte konnten nicht berechnet werden.</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>Exportiert nach {path}</translation>
    </message>
    <message>
        <source>The export failed: {reason}</source>
        <translation>Der Export ist fehlgeschlagen: {reason}</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Stop processing further rules after this one fires</source>
        <translation>Nach dieser Regel keine weiteren Regeln ausführen, wenn sie greift</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wenn</translation>
    </message>
    <message>
        <source>If</source>
        <translation>Falls</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>Dann</translation>
    </message>
</context>
<context>
    <name>RuleListModel</name>
    <message>
        <source>(no name)</source>
        <translation>(ohne Namen)</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <source>Disabled: the rule does nothing</source>
        <translation>Inaktiv: Die Regel tut nichts</translation>
    </message>
</context>
<context>
    <name>RulePreviewPanel</name>
    <message>
        <source>What the draft would do now</source>
        <translation>Was der Entwurf jetzt tun würde</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Tier now</source>
        <translation>Stufe jetzt</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Regel</translation>
    </message>
    <message>
        <source>Would</source>
        <translation>Würde</translation>
    </message>
    <message>
        <source>{count} action</source>
        <translation>{count} Aktion</translation>
    </message>
    <message>
        <source>{count} actions</source>
        <translation>{count} Aktionen</translation>
    </message>
    <message>
        <source>{count} open ticket</source>
        <translation>{count} offenen Ticket</translation>
    </message>
    <message>
        <source>{count} open tickets</source>
        <translation>{count} offenen Tickets</translation>
    </message>
    <message>
        <source>{count} move</source>
        <translation>{count} Verschiebung</translation>
    </message>
    <message>
        <source>{count} moves</source>
        <translation>{count} Verschiebungen</translation>
    </message>
    <message>
        <source>{actions} on the {tickets} examined at {at:%Y-%m-%d %H:%M}.</source>
        <translation>{actions} bei {tickets}, geprüft am {at:%Y-%m-%d %H:%M}.</translation>
    </message>
    <message>
        <source>{moves} {what}.</source>
        <translation>{moves}: {what}.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Nach</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>Ursache</translation>
    </message>
    <message>
        <source>Preview now</source>
        <translation>Jetzt vorschauen</translation>
    </message>
    <message>
        <source>Which open tickets the draft would act on, and how</source>
        <translation>Auf welche offenen Tickets der Entwurf wirken würde, und wie</translation>
    </message>
    <message>
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <source>Replay last</source>
        <translation>Nachspielen: letzte</translation>
    </message>
    <message>
        <source>Run the history of these days under the draft; nothing is written</source>
        <translation>Den Verlauf dieser Tage mit dem Entwurf durchspielen; nichts wird geschrieben</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Try the draft before saving it: nothing is written.</source>
        <translation>Probieren Sie den Entwurf vor dem Speichern aus: Nichts wird geschrieben.</translation>
    </message>
    <message>
        <source>⚠ The draft changed since: run it again to see the effect of your latest changes.</source>
        <translation>⚠ Der Entwurf hat sich seitdem geändert: Führen Sie ihn erneut aus, um die Wirkung Ihrer letzten Änderungen zu sehen.</translation>
    </message>
    <message>
        <source>Looking at the open tickets…</source>
        <translation>Die offenen Tickets werden geprüft…</translation>
    </message>
    <message>
        <source>Now, the draft would take {actions} on {tickets} of {examined}.</source>
        <translation>Jetzt würde der Entwurf {actions} bei {tickets} von {examined} ausführen.</translation>
    </message>
    <message>
        <source>Replayed {events} of {tickets} from {start:%Y-%m-%d} to {end:%Y-%m-%d}: {added} added, {removed} removed.</source>
        <translation>{events} von {tickets} vom {start:%Y-%m-%d} bis {end:%Y-%m-%d} nachgespielt: {added} hinzu, {removed} entfallen.</translation>
    </message>
    <message>
        <source>{count:,} event</source>
        <translation>{count:,} Ereignis</translation>
    </message>
    <message>
        <source>{count:,} events</source>
        <translation>{count:,} Ereignisse</translation>
    </message>
    <message>
        <source>{count:,} ticket</source>
        <translation>{count:,} Ticket</translation>
    </message>
    <message>
        <source>{count:,} tickets</source>
        <translation>{count:,} Tickets</translation>
    </message>
    <message>
        <source>Would act on</source>
        <translation>Würde wirken auf</translation>
    </message>
    <message>
        <source>Replaying the last {days} days under the draft…</source>
        <translation>Die letzten {days} Tage werden mit dem Entwurf nachgespielt…</translation>
    </message>
    <message>
        <source>Replay cancelled; nothing to show.</source>
        <translation>Nachspielen abgebrochen; nichts anzuzeigen.</translation>
    </message>
    <message>
        <source>Added ({count})</source>
        <translation>Hinzu ({count})</translation>
    </message>
    <message>
        <source>Moves the draft would add</source>
        <translation>Verschiebungen, die der Entwurf hinzufügen würde</translation>
    </message>
    <message>
        <source>the draft would have made that did not happen</source>
        <translation>der Entwurf hätte sie gemacht, sie fanden aber nicht statt</translation>
    </message>
    <message>
        <source>Removed ({count})</source>
        <translation>Entfallen ({count})</translation>
    </message>
    <message>
        <source>Moves the draft would remove</source>
        <translation>Verschiebungen, die der Entwurf entfernen würde</translation>
    </message>
    <message>
        <source>happened that the draft would not have made</source>
        <translation>fanden statt, der Entwurf hätte sie nicht gemacht</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>Verteilung</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>Einhaltung</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>Business rules</source>
        <translation>Geschäftsregeln</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Duplizieren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Loading the rules…</source>
        <translation>Die Regeln werden geladen…</translation>
    </message>
    <message>
        <source>Read only: supervisors and admins change the rules. The preview writes nothing.</source>
        <translation>Nur lesen: Supervisoren und Admins ändern die Regeln. Die Vorschau schreibt nichts.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Neu laden</translation>
    </message>
    <message>
        <source>Discard your changes and load the saved rules again</source>
        <translation>Ihre Änderungen verwerfen und die gespeicherten Regeln neu laden</translation>
    </message>
    <message>
        <source>Rules, in the order they run (drag to reorder):</source>
        <translation>Regeln, in der Reihenfolge ihrer Ausführung (zum Umordnen ziehen):</translation>
    </message>
    <message>
        <source>The rules cannot be saved as they are:</source>
        <translation>Die Regeln können so nicht gespeichert werden:</translation>
    </message>
    <message>
        <source>the rules are still loading</source>
        <translation>die Regeln werden noch geladen</translation>
    </message>
    <message>
        <source>the draft has {count} problem; it is shown next to its field. Fix it to preview the rules.</source>
        <translation>der Entwurf hat {count} Problem; es wird neben seinem Feld angezeigt. Beheben Sie es, um die Regeln vorzuschauen.</translation>
    </message>
    <message>
        <source>the draft has {count} problems; each is shown next to its field. Fix them to preview the rules.</source>
        <translation>der Entwurf hat {count} Probleme; jedes wird neben seinem Feld angezeigt. Beheben Sie sie, um die Regeln vorzuschauen.</translation>
    </message>
    <message>
        <source>{count} problem to fix first</source>
        <translation>Zuerst {count} Problem beheben</translation>
    </message>
    <message>
        <source>{count} problems to fix first</source>
        <translation>Zuerst {count} Probleme beheben</translation>
    </message>
    <message>
        <source>{count} problem</source>
        <translation>{count} Problem</translation>
    </message>
    <message>
        <source>{count} problems</source>
        <translation>{count} Probleme</translation>
    </message>
    <message>
        <source>{rules} rule</source>
        <translation>{rules} Regel</translation>
    </message>
    <message>
        <source>{rules} rules</source>
        <translation>{rules} Regeln</translation>
    </message>
    <message>
        <source>⚠ {problems} in {rules}: Save is disabled until they are fixed.</source>
        <translation>⚠ {problems} in {rules}: Speichern ist gesperrt, bis sie behoben sind.</translation>
    </message>
    <message>
        <source>{count} rule, no problems.</source>
        <translation>{count} Regel, keine Probleme.</translation>
    </message>
    <message>
        <source>{count} rules, no problems.</source>
        <translation>{count} Regeln, keine Probleme.</translation>
    </message>
    <message>
        <source>Saved: rule set version {version}, {count} rule.</source>
        <translation>Gespeichert: Regelwerk Version {version}, {count} Regel.</translation>
    </message>
    <message>
        <source>Saved: rule set version {version}, {count} rules.</source>
        <translation>Gespeichert: Regelwerk Version {version}, {count} Regeln.</translation>
    </message>
    <message>
        <source>Not saved: {reason}
Press Reload to load their version (your changes are discarded), then make your changes again.</source>
        <translation>Nicht gespeichert: {reason}
Drücken Sie „Neu laden“, um deren Fassung zu laden (Ihre Änderungen werden verworfen), und nehmen Sie Ihre Änderungen dann erneut vor.</translation>
    </message>
    <message>
        <source>Not saved: the rules no longer pass the check (the desk changed meanwhile?):</source>
        <translation>Nicht gespeichert: Die Regeln bestehen die Prüfung nicht mehr (hat sich der Desk inzwischen geändert?):</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>Neue Regel</translation>
    </message>
    <message>
        <source>Copy of {name}</source>
        <translation>Kopie von {name}</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to TierDesk</source>
        <translation>Bei TierDesk anmelden</translation>
    </message>
    <message>
        <source>&lt;b&gt;Who is working on this desk?&lt;/b&gt;</source>
        <translation>&lt;b&gt;Wer arbeitet an diesem Desk?&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Connect to…</source>
        <translation>Verbinden mit…</translation>
    </message>
    <message>
        <source>Use another database: an embedded file or a server</source>
        <translation>Eine andere Datenbank verwenden: eine eingebettete Datei oder einen Server</translation>
    </message>
</context>
<context>
    <name>TicketActions</name>
    <message>
        <source>&amp;New ticket</source>
        <translation>&amp;Neues Ticket</translation>
    </message>
    <message>
        <source>Open a new ticket</source>
        <translation>Ein neues Ticket eröffnen</translation>
    </message>
    <message>
        <source>&amp;Take</source>
        <translation>Ü&amp;bernehmen</translation>
    </message>
    <message>
        <source>Assign the ticket to yourself</source>
        <translation>Das Ticket sich selbst zuweisen</translation>
    </message>
    <message>
        <source>&amp;Escalate</source>
        <translation>&amp;Eskalieren</translation>
    </message>
    <message>
        <source>Move the ticket one tier up</source>
        <translation>Das Ticket eine Stufe höher verschieben</translation>
    </message>
    <message>
        <source>&amp;Hand back</source>
        <translation>&amp;Zurückgeben</translation>
    </message>
    <message>
        <source>Move it one tier down, saying why</source>
        <translation>Eine Stufe tiefer verschieben, mit Begründung</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>&amp;Lösen</translation>
    </message>
    <message>
        <source>Resolve it with a resolution note</source>
        <translation>Mit einer Lösungsnotiz lösen</translation>
    </message>
    <message>
        <source>&amp;Comment</source>
        <translation>&amp;Kommentieren</translation>
    </message>
    <message>
        <source>Add a comment</source>
        <translation>Einen Kommentar hinzufügen</translation>
    </message>
    <message>
        <source>You took {key}</source>
        <translation>Sie haben {key} übernommen</translation>
    </message>
    <message>
        <source>Escalated {key} to {tier}</source>
        <translation>{key} an {tier} eskaliert</translation>
    </message>
    <message>
        <source>Hand back {key}</source>
        <translation>{key} zurückgeben</translation>
    </message>
    <message>
        <source>Why does it go back a tier? The tier below will read this.</source>
        <translation>Warum geht es eine Stufe zurück? Die Stufe darunter liest diese Begründung.</translation>
    </message>
    <message>
        <source>Hand back</source>
        <translation>Zurückgeben</translation>
    </message>
    <message>
        <source>Handed {key} back to {tier}</source>
        <translation>{key} an {tier} zurückgegeben</translation>
    </message>
    <message>
        <source>Resolve {key}</source>
        <translation>{key} lösen</translation>
    </message>
    <message>
        <source>How was it resolved? The requester and the next agent will read this.</source>
        <translation>Wie wurde es gelöst? Der Melder und der nächste Agent lesen das.</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Lösen</translation>
    </message>
    <message>
        <source>Resolved {key}</source>
        <translation>{key} gelöst</translation>
    </message>
    <message>
        <source>Comment on {key}</source>
        <translation>{key} kommentieren</translation>
    </message>
    <message>
        <source>Your comment:</source>
        <translation>Ihr Kommentar:</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Kommentar hinzufügen</translation>
    </message>
    <message>
        <source>Commented on {key}</source>
        <translation>{key} kommentiert</translation>
    </message>
    <message>
        <source>Opened {key} at {tier}</source>
        <translation>{key} in {tier} eröffnet</translation>
    </message>
</context>
<context>
    <name>TicketDetailsView</name>
    <message>
        <source>Tier clock</source>
        <translation>Stufen-Uhr</translation>
    </message>
    <message>
        <source>Tier response</source>
        <translation>Stufen-Reaktion</translation>
    </message>
    <message>
        <source>Vendor clock</source>
        <translation>Vendor-Uhr</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>Erste Reaktion</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Lösung</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>met</source>
        <translation>eingehalten</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>pausiert</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>überfällig</translation>
    </message>
    <message>
        <source>breached</source>
        <translation>verletzt</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>eskaliert</translation>
    </message>
    <message>
        <source>No ticket selected</source>
        <translation>Kein Ticket ausgewählt</translation>
    </message>
    <message>
        <source>Select a ticket in the list to see its fields, comments and history.</source>
        <translation>Wählen Sie ein Ticket in der Liste, um seine Felder, Kommentare und seinen Verlauf zu sehen.</translation>
    </message>
    <message>
        <source>Loading history…</source>
        <translation>Verlauf wird geladen…</translation>
    </message>
    <message>
        <source>set by hand</source>
        <translation>von Hand gesetzt</translation>
    </message>
    <message>
        <source>impact × urgency</source>
        <translation>Auswirkung × Dringlichkeit</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Impact / urgency</source>
        <translation>Auswirkung / Dringlichkeit</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>Melder</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Angelegt</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Gelöst</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>Wieder geöffnet</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation>(keine Beschreibung)</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Comments ({count})</source>
        <translation>Kommentare ({count})</translation>
    </message>
    <message>
        <source>No comments yet.</source>
        <translation>Noch keine Kommentare.</translation>
    </message>
    <message>
        <source>History (1 event)</source>
        <translation>Verlauf (1 Ereignis)</translation>
    </message>
    <message>
        <source>History ({count} events)</source>
        <translation>Verlauf ({count} Ereignisse)</translation>
    </message>
    <message>
        <source>{count} earlier pauses not listed</source>
        <translation>{count} frühere Pausen nicht aufgeführt</translation>
    </message>
    <message>
        <source>SLA clocks</source>
        <translation>SLA-Uhren</translation>
    </message>
    <message>
        <source>No SLA clock runs for this ticket.</source>
        <translation>Für dieses Ticket läuft keine SLA-Uhr.</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>zählt</translation>
    </message>
    <message>
        <source>outside hours</source>
        <translation>außerhalb der Zeiten</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>breach</source>
        <translation>Verletzung</translation>
    </message>
    <message>
        <source>SLA clocks ({count})</source>
        <translation>SLA-Uhren ({count})</translation>
    </message>
    <message>
        <source>target {duration}</source>
        <translation>Ziel {duration}</translation>
    </message>
    <message>
        <source>used {duration}</source>
        <translation>verbraucht {duration}</translation>
    </message>
    <message>
        <source>due {when}</source>
        <translation>fällig {when}</translation>
    </message>
    <message>
        <source> (now)</source>
        <translation> (jetzt)</translation>
    </message>
    <message>
        <source>{headline} at {when} — {note}</source>
        <translation>{headline} um {when} — {note}</translation>
    </message>
    <message>
        <source>(recorded {when})</source>
        <translation>(erfasst {when})</translation>
    </message>
    <message>
        <source>Paused {span} — {reason}</source>
        <translation>Pausiert {span} — {reason}</translation>
    </message>
    <message>
        <source>{what} folded together ({span})</source>
        <translation>{what} zusammengefasst ({span})</translation>
    </message>
</context>
<context>
    <name>TicketDialog</name>
    <message>
        <source>{priority} (set by hand)</source>
        <translation>{priority} (von Hand gesetzt)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Zuweisen</translation>
    </message>
    <message>
        <source>&amp;Take</source>
        <translation>Ü&amp;bernehmen</translation>
    </message>
    <message>
        <source>Unassign</source>
        <translation>Zuweisung aufheben</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Status setzen</translation>
    </message>
    <message>
        <source>How was it resolved? Required to resolve.</source>
        <translation>Wie wurde es gelöst? Zum Lösen erforderlich.</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>&amp;Lösen</translation>
    </message>
    <message>
        <source>Why it is reopened (optional)</source>
        <translation>Warum es wieder geöffnet wird (optional)</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Wieder öffnen</translation>
    </message>
    <message>
        <source>Close ticket</source>
        <translation>Ticket schließen</translation>
    </message>
    <message>
        <source>Write a comment</source>
        <translation>Einen Kommentar schreiben</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Kommentar hinzufügen</translation>
    </message>
    <message>
        <source>Keep my changes</source>
        <translation>Meine Änderungen behalten</translation>
    </message>
    <message>
        <source>Discard mine and reload</source>
        <translation>Meine verwerfen und neu laden</translation>
    </message>
    <message>
        <source>&amp;Fields</source>
        <translation>&amp;Felder</translation>
    </message>
    <message>
        <source>&amp;Assignment</source>
        <translation>&amp;Zuweisung</translation>
    </message>
    <message>
        <source>Stat&amp;us</source>
        <translation>Stat&amp;us</translation>
    </message>
    <message>
        <source>&amp;Comments</source>
        <translation>&amp;Kommentare</translation>
    </message>
    <message>
        <source>Time&amp;line</source>
        <translation>&amp;Verlauf</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titel:</translation>
    </message>
    <message>
        <source>&amp;Requester:</source>
        <translation>&amp;Melder:</translation>
    </message>
    <message>
        <source>Cate&amp;gory:</source>
        <translation>Kate&amp;gorie:</translation>
    </message>
    <message>
        <source>&amp;Impact:</source>
        <translation>&amp;Auswirkung:</translation>
    </message>
    <message>
        <source>Urge&amp;ncy:</source>
        <translation>&amp;Dringlichkeit:</translation>
    </message>
    <message>
        <source>&amp;Priority:</source>
        <translation>&amp;Priorität:</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>&amp;Beschreibung:</translation>
    </message>
    <message>
        <source>Assigned to:</source>
        <translation>Zugewiesen an:</translation>
    </message>
    <message>
        <source>Give it to:</source>
        <translation>Übergeben an:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>Working status:</source>
        <translation>Arbeitsstatus:</translation>
    </message>
    <message>
        <source>Resolution:</source>
        <translation>Lösung:</translation>
    </message>
    <message>
        <source>Reopen / close:</source>
        <translation>Wieder öffnen / schließen:</translation>
    </message>
    <message>
        <source>The {field} {problem}.</source>
        <translation>{field}: {problem}.</translation>
    </message>
    <message>
        <source>{status} at {tier} · {priority} · version {version} · updated {updated}</source>
        <translation>{status} in {tier} · {priority} · Version {version} · geändert {updated}</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
    <message>
        <source>&amp;Comments ({count})</source>
        <translation>&amp;Kommentare ({count})</translation>
    </message>
    <message>
        <source>No comments yet.</source>
        <translation>Noch keine Kommentare.</translation>
    </message>
    <message>
        <source>Not saved: {why}. What you typed is kept here; try again once the database answers.</source>
        <translation>Nicht gespeichert: {why}. Ihre Eingaben bleiben hier erhalten; versuchen Sie es erneut, sobald die Datenbank antwortet.</translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation>Nichts zu speichern.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Someone else changed {key} while you were editing it (version {version} → {current}). Nothing of yours was saved yet; your edits are still in the form.</source>
        <translation>Jemand anderes hat {key} geändert, während Sie es bearbeitet haben (Version {version} → {current}). Von Ihnen wurde noch nichts gespeichert; Ihre Änderungen stehen noch im Formular.</translation>
    </message>
    <message>
        <source>You both changed:</source>
        <translation>Sie beide haben geändert:</translation>
    </message>
    <message>
        <source>yours “{mine}”, now “{now}”</source>
        <translation>Ihres „{mine}“, jetzt „{now}“</translation>
    </message>
    <message>
        <source>edits</source>
        <translation>Änderungen</translation>
    </message>
    <message>
        <source>&lt;i&gt;Keep my changes&lt;/i&gt; saves your {yours} on top of the new version and takes their {theirs}.</source>
        <translation>&lt;i&gt;Meine Änderungen behalten&lt;/i&gt; speichert Ihre Felder ({yours}) auf der neuen Version und übernimmt deren Felder ({theirs}).</translation>
    </message>
    <message>
        <source>&lt;i&gt;Keep my changes&lt;/i&gt; saves your {yours} on top of the new version.</source>
        <translation>&lt;i&gt;Meine Änderungen behalten&lt;/i&gt; speichert Ihre Felder ({yours}) auf der neuen Version.</translation>
    </message>
    <message>
        <source> &lt;i&gt;Discard mine and reload&lt;/i&gt; shows the ticket as it is now.</source>
        <translation> &lt;i&gt;Meine verwerfen und neu laden&lt;/i&gt; zeigt das Ticket, wie es jetzt ist.</translation>
    </message>
    <message>
        <source>{when} {who} changed the {field} from “{old}” to “{new}”</source>
        <translation>{when} {who} hat das Feld {field} von „{old}“ auf „{new}“ geändert</translation>
    </message>
    <message>
        <source>by hand</source>
        <translation>von Hand</translation>
    </message>
    <message>
        <source>from impact × urgency</source>
        <translation>aus Auswirkung × Dringlichkeit</translation>
    </message>
    <message>
        <source>{when} {who} set the priority {old} → {new} ({how})</source>
        <translation>{when} {who} hat die Priorität gesetzt: {old} → {new} ({how})</translation>
    </message>
    <message>
        <source>{when} {who} assigned it to {person}</source>
        <translation>{when} {who} hat es {person} zugewiesen</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>{name}  (resolved at {tier}+)</source>
        <translation>{name}  (gelöst ab {tier})</translation>
    </message>
    <message>
        <source>Automatic (impact × urgency): {priority}</source>
        <translation>Automatisch (Auswirkung × Dringlichkeit): {priority}</translation>
    </message>
    <message>
        <source>Loaded the new version; none of your edits differ from it.</source>
        <translation>Neue Version geladen; keine Ihrer Änderungen weicht davon ab.</translation>
    </message>
    <message>
        <source>Reloaded; your edits were discarded.</source>
        <translation>Neu geladen; Ihre Änderungen wurden verworfen.</translation>
    </message>
    <message>
        <source>You took it.</source>
        <translation>Sie haben es übernommen.</translation>
    </message>
    <message>
        <source>Choose someone who works this tier.</source>
        <translation>Wählen Sie jemanden, der in dieser Stufe arbeitet.</translation>
    </message>
    <message>
        <source>Assigned to {person}.</source>
        <translation>{person} zugewiesen.</translation>
    </message>
    <message>
        <source>Unassigned.</source>
        <translation>Zuweisung aufgehoben.</translation>
    </message>
    <message>
        <source>Status set to {status}.</source>
        <translation>Status auf {status} gesetzt.</translation>
    </message>
    <message>
        <source>Write how it was resolved: the note is required.</source>
        <translation>Schreiben Sie, wie es gelöst wurde: Die Notiz ist erforderlich.</translation>
    </message>
    <message>
        <source>Resolved.</source>
        <translation>Gelöst.</translation>
    </message>
    <message>
        <source>Reopened.</source>
        <translation>Wieder geöffnet.</translation>
    </message>
    <message>
        <source>Closed.</source>
        <translation>Geschlossen.</translation>
    </message>
    <message>
        <source>Write the comment first.</source>
        <translation>Schreiben Sie zuerst den Kommentar.</translation>
    </message>
    <message>
        <source>Comment added.</source>
        <translation>Kommentar hinzugefügt.</translation>
    </message>
</context>
<context>
    <name>TicketFilterBar</name>
    <message>
        <source>All tiers</source>
        <translation>Alle Stufen</translation>
    </message>
    <message>
        <source>Show one tier&apos;s queue</source>
        <translation>Die Warteschlange einer Stufe zeigen</translation>
    </message>
    <message>
        <source>Active (not resolved)</source>
        <translation>Aktiv (nicht gelöst)</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Jeder Status</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Alle Kategorien</translation>
    </message>
    <message>
        <source>Show one category</source>
        <translation>Eine Kategorie zeigen</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Jede Priorität</translation>
    </message>
    <message>
        <source>Show one priority</source>
        <translation>Eine Priorität zeigen</translation>
    </message>
    <message>
        <source>&amp;My tickets</source>
        <translation>&amp;Meine Tickets</translation>
    </message>
    <message>
        <source>Only tickets assigned to you</source>
        <translation>Nur Tickets, die Ihnen zugewiesen sind</translation>
    </message>
    <message>
        <source>My &amp;tiers</source>
        <translation>Meine &amp;Stufen</translation>
    </message>
    <message>
        <source>Only tickets at the tiers you work</source>
        <translation>Nur Tickets in den Stufen, in denen Sie arbeiten</translation>
    </message>
    <message>
        <source>&amp;Breached / at risk</source>
        <translation>&amp;Verletzt / gefährdet</translation>
    </message>
    <message>
        <source>Only tickets whose tier clock is breached or past its warning (on the board)</source>
        <translation>Nur Tickets, deren Stufen-Uhr verletzt ist oder ihre Warnschwelle überschritten hat (auf dem Board)</translation>
    </message>
    <message>
        <source>Search key, title or requester  (Ctrl+F)</source>
        <translation>Schlüssel, Titel oder Melder suchen  (Strg+F)</translation>
    </message>
    <message>
        <source>Tier:</source>
        <translation>Stufe:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>{shown:,} of {total:,} tickets</source>
        <translation>{shown:,} von {total:,} Tickets</translation>
    </message>
</context>
<context>
    <name>TicketTableModel</name>
    <message>
        <source>Key</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <source>Updated {updated}
Created {created}</source>
        <translation>Geändert {updated}
Angelegt {created}</translation>
    </message>
    <message>
        <source>set by hand</source>
        <translation>von Hand gesetzt</translation>
    </message>
    <message>
        <source>impact × urgency</source>
        <translation>Auswirkung × Dringlichkeit</translation>
    </message>
    <message>
        <source>{priority} ({how}): impact {impact}, urgency {urgency}</source>
        <translation>{priority} ({how}): Auswirkung {impact}, Dringlichkeit {urgency}</translation>
    </message>
    <message>
        <source>{title}
Requested by {requester}</source>
        <translation>{title}
Gemeldet von {requester}</translation>
    </message>
</context>
<context>
    <name>TierColumnModel</name>
    <message>
        <source>nobody</source>
        <translation>niemand</translation>
    </message>
</context>
<context>
    <name>TiersPage</name>
    <message>
        <source>Code</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>What it resolves</source>
        <translation>Was sie löst</translation>
    </message>
    <message>
        <source>WIP limit</source>
        <translation>WIP-Limit</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Vendor</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>Stillgelegt</translation>
    </message>
    <message>
        <source>Tier ladder</source>
        <translation>Stufenfolge</translation>
    </message>
    <message>
        <source>&amp;Add tier</source>
        <translation>Stufe &amp;hinzufügen</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>Nach &amp;oben</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>Nach &amp;unten</translation>
    </message>
    <message>
        <source>Lowest tier first: tickets enter at the first tier that is not retired and escalate upwards. At most one vendor tier, at the top. A tier with open tickets can be retired once they are moved.</source>
        <translation>Unterste Stufe zuerst: Tickets beginnen in der ersten nicht stillgelegten Stufe und eskalieren nach oben. Höchstens eine Vendor-Stufe, ganz oben. Eine Stufe mit offenen Tickets kann stillgelegt werden, sobald diese verschoben sind.</translation>
    </message>
    <message>
        <source>in row {row}</source>
        <translation>in Zeile {row}</translation>
    </message>
    <message>
        <source>row {row}</source>
        <translation>Zeile {row}</translation>
    </message>
    <message>
        <source>Tier {code}, {column}: {message}</source>
        <translation>Stufe {code}, {column}: {message}</translation>
    </message>
    <message>
        <source>New tier</source>
        <translation>Neue Stufe</translation>
    </message>
</context>
<context>
    <name>TriggerEditor</name>
    <message>
        <source>A ticket is created</source>
        <translation>Ein Ticket wird erstellt</translation>
    </message>
    <message>
        <source>A ticket is updated</source>
        <translation>Ein Ticket wird geändert</translation>
    </message>
    <message>
        <source>Time passes</source>
        <translation>Zeit vergeht</translation>
    </message>
    <message>
        <source>without resolution</source>
        <translation>ohne Lösung</translation>
    </message>
    <message>
        <source>in the current tier</source>
        <translation>in der aktuellen Stufe</translation>
    </message>
    <message>
        <source>since the last update</source>
        <translation>seit der letzten Änderung</translation>
    </message>
    <message>
        <source>left before a clock breaches</source>
        <translation>verbleibend, bevor eine Uhr verletzt wird</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>Minuten</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>Stunden</translation>
    </message>
    <message>
        <source>days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>fields watched; empty: any change</source>
        <translation>beobachtete Felder; leer: jede Änderung</translation>
    </message>
    <message>
        <source>{clock} clock</source>
        <translation>Uhr {clock}</translation>
    </message>
    <message>
        <source>wall time (24/7)</source>
        <translation>Echtzeit (24/7)</translation>
    </message>
    <message>
        <source>business time of {calendar}</source>
        <translation>Geschäftszeit von {calendar}</translation>
    </message>
    <message>
        <source>in</source>
        <translation>in</translation>
    </message>
</context>
<context>
    <name>UserListModel</name>
    <message>
        <source>Login: {login}</source>
        <translation>Anmeldename: {login}</translation>
    </message>
</context>
<context>
    <name>ValueListEdit</name>
    <message>
        <source>pick or type, separated by commas</source>
        <translation>auswählen oder tippen, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Pick from the desk&apos;s values</source>
        <translation>Aus den Werten des Desks wählen</translation>
    </message>
</context>
<context>
    <name>application</name>
    <message>
        <source>TierDesk cannot start</source>
        <translation>TierDesk kann nicht starten</translation>
    </message>
    <message>
        <source>TierDesk could not start.

{message}</source>
        <translation>TierDesk konnte nicht starten.

{message}</translation>
    </message>
    <message>
        <source>Change connection…</source>
        <translation>Verbindung ändern…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
</context>
<context>
    <name>card_delegate</name>
    <message>
        <source>{days}d {hours}h</source>
        <translation>{days}T {hours}h</translation>
    </message>
    <message>
        <source>{hours}h {minutes:02d}m</source>
        <translation>{hours}h {minutes:02d}m</translation>
    </message>
    <message>
        <source>{minutes}m {seconds:02d}s</source>
        <translation>{minutes}m {seconds:02d}s</translation>
    </message>
    <message>
        <source>{span} left</source>
        <translation>noch {span}</translation>
    </message>
    <message>
        <source>{span} over</source>
        <translation>{span} drüber</translation>
    </message>
    <message>
        <source>paused · {text}</source>
        <translation>pausiert · {text}</translation>
    </message>
</context>
<context>
    <name>escalation_monitor</name>
    <message>
        <source>Escalation timer: stopped</source>
        <translation>Eskalations-Timer: gestoppt</translation>
    </message>
    <message>
        <source>Escalation timer: retrying ({error})</source>
        <translation>Eskalations-Timer: neuer Versuch ({error})</translation>
    </message>
    <message>
        <source>Escalation timer: no SLA clock running</source>
        <translation>Eskalations-Timer: keine SLA-Uhr läuft</translation>
    </message>
    <message>
        <source>Escalation timer: next deadline {deadline:%a %H:%M:%S}</source>
        <translation>Eskalations-Timer: nächste Frist {deadline:%d.%m. %H:%M:%S}</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>New</source>
        <translation>Neu</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In Bearbeitung</translation>
    </message>
    <message>
        <source>Waiting on customer</source>
        <translation>Wartet auf Kunden</translation>
    </message>
    <message>
        <source>Waiting on vendor</source>
        <translation>Wartet auf Vendor</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Gelöst</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Hoch</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Mittel</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Niedrig</translation>
    </message>
    <message>
        <source>{amount} min ago</source>
        <translation>vor {amount} Min.</translation>
    </message>
    <message>
        <source>{amount} h ago</source>
        <translation>vor {amount} Std.</translation>
    </message>
    <message>
        <source>{amount} d ago</source>
        <translation>vor {amount} T.</translation>
    </message>
    <message>
        <source>{amount} wk ago</source>
        <translation>vor {amount} Wo.</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>gerade eben</translation>
    </message>
    <message>
        <source>reads every tier</source>
        <translation>liest alle Stufen</translation>
    </message>
    <message>
        <source>no tier yet</source>
        <translation>noch keine Stufe</translation>
    </message>
    <message>
        <source>all tiers</source>
        <translation>alle Stufen</translation>
    </message>
</context>
<context>
    <name>report_charts</name>
    <message>
        <source>Jan</source>
        <translation>Jan.</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>Feb.</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>März</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>Apr.</translation>
    </message>
    <message>
        <source>May</source>
        <translation>Mai</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>Juni</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>Juli</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>Aug.</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>Sep.</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>Okt.</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>Nov.</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>Dez.</translation>
    </message>
    <message>
        <source>{month} {day}</source>
        <translation>{day}. {month}</translation>
    </message>
</context>
<context>
    <name>startup</name>
    <message>
        <source>This desk has no TierDesk user with the login {login!r}</source>
        <translation>Dieser Desk hat keinen TierDesk-Benutzer mit dem Anmeldenamen {login!r}</translation>
    </message>
    <message>
        <source>Ask a TierDesk administrator to add a user with the login {login!r}</source>
        <translation>Bitten Sie einen TierDesk-Administrator, einen Benutzer mit dem Anmeldenamen {login!r} anzulegen</translation>
    </message>
    <message>
        <source>The TierDesk user {login!r} is disabled on this desk</source>
        <translation>Der TierDesk-Benutzer {login!r} ist auf diesem Desk deaktiviert</translation>
    </message>
    <message>
        <source>Ask a TierDesk administrator to enable the user {login!r}</source>
        <translation>Bitten Sie einen TierDesk-Administrator, den Benutzer {login!r} zu aktivieren</translation>
    </message>
    <message>
        <source>{problem}. On a shared server you are signed in as the TierDesk user whose login is your database login, and you connect to the {where} as {login!r}.

{fix}, or choose another connection with “Change connection…”.</source>
        <translation>{problem}. Auf einem gemeinsamen Server sind Sie als der TierDesk-Benutzer angemeldet, dessen Anmeldename Ihr Datenbank-Anmeldename ist, und Sie verbinden sich mit {where} als {login!r}.

{fix}, oder wählen Sie mit „Verbindung ändern…“ eine andere Verbindung.</translation>
    </message>
</context>
<context>
    <name>ticket_form</name>
    <message>
        <source>title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>requester</source>
        <translation>Melder</translation>
    </message>
    <message>
        <source>category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <source>impact</source>
        <translation>Auswirkung</translation>
    </message>
    <message>
        <source>urgency</source>
        <translation>Dringlichkeit</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>Priorität</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatisch</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
    <message>
        <source>Read only: managers read tickets; they do not change them.</source>
        <translation>Nur lesen: Manager lesen Tickets, ändern sie aber nicht.</translation>
    </message>
    <message>
        <source>no tier</source>
        <translation>keine Stufe</translation>
    </message>
    <message>
        <source>Read only: {key} is at {tier} and you work {worked}.</source>
        <translation>Nur lesen: {key} ist in {tier} und Sie arbeiten in {worked}.</translation>
    </message>
</context>
<context>
    <name>unsaved_changes</name>
    <message>
        <source>Unsaved changes</source>
        <translation>Nicht gespeicherte Änderungen</translation>
    </message>
    <message>
        <source>Your changes have not been saved. Discard them and close?</source>
        <translation>Ihre Änderungen wurden nicht gespeichert. Verwerfen und schließen?</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Änderungen verwerfen</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>Weiter bearbeiten</translation>
    </message>
</context>
</TS>
