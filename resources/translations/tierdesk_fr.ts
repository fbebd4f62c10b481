<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr" sourcelanguage="en">
<context>
    <name>ActionBuilder</name>
    <message>
        <source>+ Action</source>
        <translation>+ Action</translation>
    </message>
    <message>
        <source>Then, in order:</source>
        <translation>Puis, dans l&apos;ordre :</translation>
    </message>
</context>
<context>
    <name>ActionRow</name>
    <message>
        <source>Move to tier</source>
        <translation>Déplacer au niveau</translation>
    </message>
    <message>
        <source>Assign to</source>
        <translation>Attribuer à</translation>
    </message>
    <message>
        <source>Unassign</source>
        <translation>Retirer l&apos;attribution</translation>
    </message>
    <message>
        <source>Set priority</source>
        <translation>Fixer la priorité</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Fixer le statut</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Ajouter un commentaire</translation>
    </message>
    <message>
        <source>Notify</source>
        <translation>Notifier</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texte</translation>
    </message>
    <message>
        <source>users</source>
        <translation>personnes</translation>
    </message>
    <message>
        <source>tiers</source>
        <translation>niveaux</translation>
    </message>
    <message>
        <source>action</source>
        <translation>action</translation>
    </message>
    <message>
        <source>Remove this action</source>
        <translation>Retirer cette action</translation>
    </message>
    <message>
        <source>up (next tier)</source>
        <translation>monter (niveau suivant)</translation>
    </message>
    <message>
        <source>down (previous tier)</source>
        <translation>descendre (niveau précédent)</translation>
    </message>
    <message>
        <source>the comment</source>
        <translation>le commentaire</translation>
    </message>
    <message>
        <source>people</source>
        <translation>personnes</translation>
    </message>
    <message>
        <source>supervisors</source>
        <translation>superviseurs</translation>
    </message>
    <message>
        <source>message (optional)</source>
        <translation>message (facultatif)</translation>
    </message>
</context>
<context>
    <name>AlertNotifier</name>
    <message numerus="yes">
        <source>%n SLA alerts</source>
        <translation>
            <numerusform>%n alerte SLA</numerusform>
            <numerusform>%n alertes SLA</numerusform>
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
        <translation>Ligne</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Raison</translation>
    </message>
</context>
<context>
    <name>BoardView</name>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Ouvrir</translation>
    </message>
    <message>
        <source>Move &amp;up a tier</source>
        <translation>Monter d&apos;un &amp;niveau</translation>
    </message>
    <message>
        <source>Move &amp;down a tier</source>
        <translation>&amp;Descendre d&apos;un niveau</translation>
    </message>
    <message>
        <source>Assign to &amp;me</source>
        <translation>&amp;M&apos;attribuer</translation>
    </message>
    <message>
        <source>{shown} of </source>
        <translation>{shown} sur </translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Résolus</translation>
    </message>
    <message>
        <source>{key} cannot be moved to {target}</source>
        <translation>{key} ne peut pas être déplacé vers {target}</translation>
    </message>
    <message>
        <source>{login} is a manager: managers read tickets, not change them</source>
        <translation>{login} est manager : les managers lisent les tickets, ils ne les modifient pas</translation>
    </message>
    <message>
        <source>{login} does not work {tier}, so cannot move {key}</source>
        <translation>{login} ne travaille pas en {tier} et ne peut donc pas déplacer {key}</translation>
    </message>
    <message>
        <source>only supervisors may jump tiers ({key} {tier} → {target})</source>
        <translation>seuls les superviseurs peuvent sauter des niveaux ({key} {tier} → {target})</translation>
    </message>
    <message>
        <source>Tickets cannot be dropped on {target}</source>
        <translation>Impossible de déposer des tickets sur {target}</translation>
    </message>
    <message>
        <source>Hand back {keys}</source>
        <translation>Rendre {keys}</translation>
    </message>
    <message numerus="yes">
        <source>Hand back %n tickets</source>
        <translation>
            <numerusform>Rendre %n ticket</numerusform>
            <numerusform>Rendre %n tickets</numerusform>
        </translation>
    </message>
    <message>
        <source>Why does {keys} go back to {tier}? The tier there will read this.</source>
        <translation>Pourquoi {keys} retourne-t-il en {tier} ? Ce niveau lira cette raison.</translation>
    </message>
    <message>
        <source>Hand back</source>
        <translation>Rendre</translation>
    </message>
    <message>
        <source>{key} was not moved</source>
        <translation>{key} n’a pas été déplacé</translation>
    </message>
    <message>
        <source>{tier} is the top of the ladder</source>
        <translation>{tier} est le niveau le plus haut</translation>
    </message>
    <message>
        <source>{tier} is the bottom of the ladder</source>
        <translation>{tier} est le niveau le plus bas</translation>
    </message>
    <message>
        <source>{key} was not taken</source>
        <translation>{key} n’a pas été pris en charge</translation>
    </message>
</context>
<context>
    <name>CalendarsPage</name>
    <message>
        <source>{part} is not a window such as 08:00-18:00</source>
        <translation>{part} n&apos;est pas une plage comme 08:00-18:00</translation>
    </message>
    <message>
        <source>{text} is not a time of day HH:MM</source>
        <translation>{text} n&apos;est pas une heure HH:MM</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Lundi</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Mardi</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Mercredi</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Jeudi</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Vendredi</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Samedi</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Dimanche</translation>
    </message>
    <message>
        <source>Business calendars</source>
        <translation>Calendriers ouvrés</translation>
    </message>
    <message>
        <source>Add calendar</source>
        <translation>Ajouter un calendrier</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>closed  (e.g. 08:00-12:00, 13:00-18:00)</source>
        <translation>fermé  (p. ex. 08:00-12:00, 13:00-18:00)</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>Supprimer la sélection</translation>
    </message>
    <message>
        <source>country, e.g. DE</source>
        <translation>pays, p. ex. FR</translation>
    </message>
    <message>
        <source>region (optional)</source>
        <translation>région (facultatif)</translation>
    </message>
    <message>
        <source>Import public holidays</source>
        <translation>Importer les jours fériés</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>&amp;Time zone:</source>
        <translation>&amp;Fuseau horaire :</translation>
    </message>
    <message>
        <source>{day}:</source>
        <translation>{day} :</translation>
    </message>
    <message>
        <source>Holidays (no working time all day)</source>
        <translation>Jours fériés (aucun temps ouvré de la journée)</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <source>New calendar</source>
        <translation>Nouveau calendrier</translation>
    </message>
</context>
<context>
    <name>CategoriesPage</name>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Lowest tier that resolves it</source>
        <translation>Niveau le plus bas qui la résout</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>Catégories</translation>
    </message>
    <message>
        <source>&amp;Add category</source>
        <translation>&amp;Ajouter une catégorie</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Supprimer</translation>
    </message>
    <message>
        <source>Each category names the lowest tier allowed to resolve it; tickets below that tier must escalate first. A category that tickets use cannot be removed.</source>
        <translation>Chaque catégorie indique le niveau le plus bas autorisé à la résoudre ; les tickets en dessous doivent d&apos;abord être escaladés. Une catégorie utilisée par des tickets ne peut pas être supprimée.</translation>
    </message>
    <message>
        <source>in row {row}</source>
        <translation>à la ligne {row}</translation>
    </message>
    <message>
        <source>Category {label}, {column}: {message}</source>
        <translation>Catégorie {label}, {column} : {message}</translation>
    </message>
    <message>
        <source>{code} (retired)</source>
        <translation>{code} (retiré)</translation>
    </message>
    <message>
        <source>{choice} (not on the ladder)</source>
        <translation>{choice} (hors de l&apos;échelle)</translation>
    </message>
    <message>
        <source>New category</source>
        <translation>Nouvelle catégorie</translation>
    </message>
</context>
<context>
    <name>ConditionGroup</name>
    <message>
        <source>All of these hold</source>
        <translation>Toutes ces conditions sont vraies</translation>
    </message>
    <message>
        <source>Any of these holds</source>
        <translation>Au moins une est vraie</translation>
    </message>
    <message>
        <source>None of these holds</source>
        <translation>Aucune n&apos;est vraie</translation>
    </message>
    <message>
        <source>Not all of these hold</source>
        <translation>Pas toutes ne sont vraies</translation>
    </message>
    <message>
        <source>All of these must hold:</source>
        <translation>Toutes ces conditions doivent être vraies :</translation>
    </message>
    <message>
        <source>+ Condition</source>
        <translation>+ Condition</translation>
    </message>
    <message>
        <source>+ Group</source>
        <translation>+ Groupe</translation>
    </message>
    <message>
        <source>Remove this group and its conditions</source>
        <translation>Retirer ce groupe et ses conditions</translation>
    </message>
    <message>
        <source>No conditions: the rule acts on every ticket its trigger sees.</source>
        <translation>Aucune condition : la règle agit sur chaque ticket que voit son déclencheur.</translation>
    </message>
</context>
<context>
    <name>ConditionRow</name>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <source>Impact</source>
        <translation>Impact</translation>
    </message>
    <message>
        <source>Urgency</source>
        <translation>Urgence</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Attribué à</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>Demandeur</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Times reopened</source>
        <translation>Nombre de réouvertures</translation>
    </message>
    <message>
        <source>Escalations so far</source>
        <translation>Escalades jusqu&apos;ici</translation>
    </message>
    <message>
        <source>is one of</source>
        <translation>est l&apos;un de</translation>
    </message>
    <message>
        <source>is none of</source>
        <translation>n&apos;est aucun de</translation>
    </message>
    <message>
        <source>is at least</source>
        <translation>est au moins</translation>
    </message>
    <message>
        <source>is at most</source>
        <translation>est au plus</translation>
    </message>
    <message>
        <source>is nobody</source>
        <translation>n&apos;est personne</translation>
    </message>
    <message>
        <source>is someone</source>
        <translation>est quelqu&apos;un</translation>
    </message>
    <message>
        <source>equals</source>
        <translation>est égal à</translation>
    </message>
    <message>
        <source>contains</source>
        <translation>contient</translation>
    </message>
    <message>
        <source>matches regex</source>
        <translation>correspond à la regex</translation>
    </message>
    <message>
        <source>Remove this condition</source>
        <translation>Retirer cette condition</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>opérateur</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valeur</translation>
    </message>
    <message>
        <source>a regular expression, e.g. (?i)vpn|remote</source>
        <translation>une expression régulière, p. ex. (?i)vpn|remote</translation>
    </message>
    <message>
        <source>text</source>
        <translation>texte</translation>
    </message>
</context>
<context>
    <name>ConfigurationDialog</name>
    <message>
        <source>Desk configuration</source>
        <translation>Configuration du desk</translation>
    </message>
    <message>
        <source>Read only: supervisors and admins change the desk&apos;s configuration.</source>
        <translation>Lecture seule : les superviseurs et les admins modifient la configuration du desk.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Recharger</translation>
    </message>
    <message>
        <source>Discard your changes and load the configuration again</source>
        <translation>Abandonner vos modifications et recharger la configuration</translation>
    </message>
    <message>
        <source>{count} problem: nothing was saved. It is shown next to its field.</source>
        <translation>{count} problème : rien n&apos;a été enregistré. Il est affiché à côté de son champ.</translation>
    </message>
    <message>
        <source>{count} problems: nothing was saved. Each is shown next to its field.</source>
        <translation>{count} problèmes : rien n&apos;a été enregistré. Chacun est affiché à côté de son champ.</translation>
    </message>
    <message>
        <source>Press Reload to load their version, then make your changes again.</source>
        <translation>Appuyez sur Recharger pour charger leur version, puis refaites vos modifications.</translation>
    </message>
</context>
<context>
    <name>ConnectionDialog</name>
    <message>
        <source>Connect TierDesk to a database</source>
        <translation>Connecter TierDesk à une base de données</translation>
    </message>
    <message>
        <source>Embedded file (one desk on this computer)</source>
        <translation>Fichier intégré (un desk sur cet ordinateur)</translation>
    </message>
    <message>
        <source>Shared PostgreSQL server (a team)</source>
        <translation>Serveur PostgreSQL partagé (une équipe)</translation>
    </message>
    <message>
        <source>/path/to/tierdesk.db</source>
        <translation>/chemin/vers/tierdesk.db</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <source>Not tested yet.</source>
        <translation>Pas encore testée.</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Fichier :</translation>
    </message>
    <message>
        <source>Host:</source>
        <translation>Hôte :</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>Port :</translation>
    </message>
    <message>
        <source>Database:</source>
        <translation>Base de données :</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Utilisateur :</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe :</translation>
    </message>
    <message>
        <source>&lt;b&gt;Database URL&lt;/b&gt;</source>
        <translation>&lt;b&gt;URL de la base de données&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Choose the database file.</source>
        <translation>Choisissez le fichier de la base de données.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s host.</source>
        <translation>Saisissez l&apos;hôte du serveur.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s database.</source>
        <translation>Saisissez la base de données du serveur.</translation>
    </message>
    <message>
        <source>Enter the server&apos;s user.</source>
        <translation>Saisissez l&apos;utilisateur du serveur.</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>TierDesk database file</source>
        <translation>Fichier de base de données TierDesk</translation>
    </message>
    <message>
        <source>TierDesk database (*.db);;All files (*)</source>
        <translation>Base de données TierDesk (*.db);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Testing the connection…</source>
        <translation>Test de la connexion…</translation>
    </message>
    <message>
        <source>Use for this session</source>
        <translation>Utiliser pour cette session</translation>
    </message>
</context>
<context>
    <name>DeskTools</name>
    <message>
        <source>Desk &amp;configuration…</source>
        <translation>&amp;Configuration du desk…</translation>
    </message>
    <message>
        <source>Tiers, categories, SLA policy and business calendars</source>
        <translation>Niveaux, catégories, politique SLA et calendriers ouvrés</translation>
    </message>
    <message>
        <source>Tiers, categories, SLA policy and calendars (read only)</source>
        <translation>Niveaux, catégories, politique SLA et calendriers (lecture seule)</translation>
    </message>
    <message>
        <source>Escalation &amp;rules…</source>
        <translation>&amp;Règles d&apos;escalade…</translation>
    </message>
    <message>
        <source>Rules that move tickets between tier queues</source>
        <translation>Règles qui déplacent les tickets entre les files des niveaux</translation>
    </message>
    <message>
        <source>&amp;Import history…</source>
        <translation>&amp;Importer un historique…</translation>
    </message>
    <message>
        <source>Bring in tickets from another service desk</source>
        <translation>Reprendre les tickets d&apos;un autre service desk</translation>
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
        <translation>Chargement du desk de démonstration : {tickets:,} tickets avec leur historique…</translation>
    </message>
    <message>
        <source>Everyone on this desk is disabled, so nobody can sign in. Ask an administrator to enable your account.</source>
        <translation>Toutes les personnes de ce desk sont désactivées : personne ne peut se connecter. Demandez à un administrateur d&apos;activer votre compte.</translation>
    </message>
</context>
<context>
    <name>FirstStartDialog</name>
    <message>
        <source>Welcome to TierDesk</source>
        <translation>Bienvenue dans TierDesk</translation>
    </message>
    <message>
        <source>&lt;h3&gt;This desk is new&lt;/h3&gt;</source>
        <translation>&lt;h3&gt;Ce desk est nouveau&lt;/h3&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The database ({database}) has no tiers, people or tickets yet.&lt;/p&gt;</source>
        <translation>&lt;p&gt;La base de données ({database}) n&apos;a encore ni niveaux, ni personnes, ni tickets.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Demo desk&lt;/b&gt;: a realistic desk to try TierDesk on: the L1 → L2 → L3 → Vendor ladder, categories, agents and {tickets:,} tickets with their history.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Desk de démonstration&lt;/b&gt; : un desk réaliste pour essayer TierDesk : les niveaux L1 → L2 → L3 → Vendor, des catégories, des agents et {tickets:,} tickets avec leur historique.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Empty desk&lt;/b&gt;: the same ladder, three starter categories, and you (&lt;tt&gt;{login}&lt;/tt&gt;) as the administrator; no tickets.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Desk vide&lt;/b&gt; : les mêmes niveaux, trois catégories de départ, et vous (&lt;tt&gt;{login}&lt;/tt&gt;) comme administrateur ; aucun ticket.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Load the demo desk</source>
        <translation>Charger le desk de démonstration</translation>
    </message>
    <message>
        <source>Start empty</source>
        <translation>Commencer vide</translation>
    </message>
    <message>
        <source>This build of TierDesk has no demo data</source>
        <translation>Cette version de TierDesk n&apos;a pas de données de démonstration</translation>
    </message>
</context>
<context>
    <name>HistoryImportDialog</name>
    <message>
        <source>Import ticket history</source>
        <translation>Importer l&apos;historique des tickets</translation>
    </message>
    <message>
        <source>CSV, CSV.GZ or XLSX event log</source>
        <translation>Journal d&apos;événements CSV, CSV.GZ ou XLSX</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>mapping.json</source>
        <translation>mapping.json</translation>
    </message>
    <message>
        <source>Choose a file and its mapping.</source>
        <translation>Choisissez un fichier et sa correspondance.</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importer</translation>
    </message>
    <message>
        <source>History file:</source>
        <translation>Fichier d&apos;historique :</translation>
    </message>
    <message>
        <source>Mapping:</source>
        <translation>Correspondance :</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was imported.</source>
        <translation>Annulé : rien n&apos;a été importé.</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>Lecture du fichier…</translation>
    </message>
    <message>
        <source>Checking every ticket…</source>
        <translation>Vérification de chaque ticket…</translation>
    </message>
    <message>
        <source>Writing tickets and history…</source>
        <translation>Écriture des tickets et de l&apos;historique…</translation>
    </message>
    <message>
        <source>Starting the SLA clocks of open tickets…</source>
        <translation>Démarrage des horloges SLA des tickets ouverts…</translation>
    </message>
    <message>
        <source>Cancel import</source>
        <translation>Annuler l&apos;import</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Ticket history to import</source>
        <translation>Historique des tickets à importer</translation>
    </message>
    <message>
        <source>Event logs (*.csv *.gz *.xlsx);;All files (*)</source>
        <translation>Journaux d&apos;événements (*.csv *.gz *.xlsx);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Mapping of the file&apos;s columns</source>
        <translation>Correspondance des colonnes du fichier</translation>
    </message>
    <message>
        <source>Mapping (*.json);;All files (*)</source>
        <translation>Correspondance (*.json);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>LiveUpdates</name>
    <message>
        <source>the database does not answer</source>
        <translation>la base de données ne répond pas</translation>
    </message>
</context>
<context>
    <name>MainWindowView</name>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Reload the list (F5)</source>
        <translation>Recharger la liste (F5)</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <source>Tickets</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Tableau</translation>
    </message>
    <message>
        <source>List</source>
        <translation>Liste</translation>
    </message>
    <message>
        <source>Reports</source>
        <translation>Rapports</translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation>Base de données : {database}</translation>
    </message>
    <message>
        <source>Signed in as {user}</source>
        <translation>Connecté en tant que {user}</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>En direct</translation>
    </message>
    <message>
        <source>Moved or taken: {keys}</source>
        <translation>Déplacés ou pris : {keys}</translation>
    </message>
    <message>
        <source>Connection lost: read-only</source>
        <translation>Connexion perdue : lecture seule</translation>
    </message>
    <message>
        <source>The database is not answering ({reason}). TierDesk shows what it had loaded and reconnects by itself; changes are off until then.</source>
        <translation>La base de données ne répond pas ({reason}). TierDesk affiche ce qu&apos;il avait chargé et se reconnecte tout seul ; les modifications sont désactivées d&apos;ici là.</translation>
    </message>
    <message numerus="yes">
        <source> (and %n more SLA alerts)</source>
        <translation>
            <numerusform> (et %n autre alerte SLA)</numerusform>
            <numerusform> (et %n autres alertes SLA)</numerusform>
        </translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>En cours…</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>NewTicketDialog</name>
    <message>
        <source>New ticket</source>
        <translation>Nouveau ticket</translation>
    </message>
    <message>
        <source>What is wrong, in a few words</source>
        <translation>Le problème, en quelques mots</translation>
    </message>
    <message>
        <source>Who asks for help</source>
        <translation>Qui demande de l&apos;aide</translation>
    </message>
    <message>
        <source>{name}  (resolved at {tier}+)</source>
        <translation>{name}  (résolu à partir de {tier})</translation>
    </message>
    <message>
        <source>Optional: steps, error messages, device</source>
        <translation>Facultatif : étapes, messages d&apos;erreur, appareil</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Créer</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titre :</translation>
    </message>
    <message>
        <source>&amp;Requester:</source>
        <translation>&amp;Demandeur :</translation>
    </message>
    <message>
        <source>&amp;Category:</source>
        <translation>&amp;Catégorie :</translation>
    </message>
    <message>
        <source>&amp;Impact:</source>
        <translation>&amp;Impact :</translation>
    </message>
    <message>
        <source>&amp;Urgency:</source>
        <translation>&amp;Urgence :</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Priorité :</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>D&amp;escription :</translation>
    </message>
    <message>
        <source>Give the ticket a title.</source>
        <translation>Donnez un titre au ticket.</translation>
    </message>
    <message>
        <source>Say who asks for help (the requester).</source>
        <translation>Indiquez qui demande de l&apos;aide (le demandeur).</translation>
    </message>
    <message>
        <source>The desk has no categories yet.</source>
        <translation>Le desk n&apos;a pas encore de catégories.</translation>
    </message>
    <message>
        <source>Creating…</source>
        <translation>Création…</translation>
    </message>
    <message>
        <source>{field}: {message}</source>
        <translation>{field} : {message}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{priority}&lt;/b&gt; (from impact × urgency)</source>
        <translation>&lt;b&gt;{priority}&lt;/b&gt; (d&apos;après impact × urgence)</translation>
    </message>
</context>
<context>
    <name>PolicyPage</name>
    <message>
        <source>First response</source>
        <translation>Première réponse</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Résolution</translation>
    </message>
    <message>
        <source>Tier clock: minutes at the tier before it escalates</source>
        <translation>Horloge du niveau : minutes au niveau avant l&apos;escalade</translation>
    </message>
    <message>
        <source>Tier response: minutes until someone at the tier responds</source>
        <translation>Réponse du niveau : minutes avant qu&apos;une personne du niveau réponde</translation>
    </message>
    <message>
        <source>Customer SLA, from creation</source>
        <translation>SLA client, depuis la création</translation>
    </message>
    <message>
        <source>SLA policy</source>
        <translation>Politique SLA</translation>
    </message>
    <message>
        <source>This desk runs an SLA policy</source>
        <translation>Ce desk applique une politique SLA</translation>
    </message>
    <message>
        <source> % of the target</source>
        <translation> % de l&apos;objectif</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom :</translation>
    </message>
    <message>
        <source>&amp;Calendar:</source>
        <translation>&amp;Calendrier :</translation>
    </message>
    <message>
        <source>&amp;Warn at:</source>
        <translation>&amp;Avertir à :</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>Version :</translation>
    </message>
    <message>
        <source>Targets in business minutes (an empty cell runs no clock)</source>
        <translation>Objectifs en minutes ouvrées (une cellule vide ne lance aucune horloge)</translation>
    </message>
    <message>
        <source>Clocks stand still while a ticket is</source>
        <translation>Les horloges s&apos;arrêtent tant qu&apos;un ticket est</translation>
    </message>
    <message>
        <source>every clock:</source>
        <translation>toutes les horloges :</translation>
    </message>
    <message>
        <source>tier clocks (internal tiers):</source>
        <translation>horloges de niveau (niveaux internes) :</translation>
    </message>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>{version} (saving a change makes version {next}; running clocks keep theirs)</source>
        <translation>{version} (enregistrer une modification crée la version {next} ; les horloges en cours gardent la leur)</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>aucune pour l&apos;instant</translation>
    </message>
    <message>
        <source>{grid}, {cell}: {message}</source>
        <translation>{grid}, {cell} : {message}</translation>
    </message>
</context>
<context>
    <name>ReportsView</name>
    <message>
        <source>First day</source>
        <translation>Premier jour</translation>
    </message>
    <message>
        <source>Last day (inclusive)</source>
        <translation>Dernier jour (inclus)</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Toutes les catégories</translation>
    </message>
    <message>
        <source>Only one category</source>
        <translation>Une seule catégorie</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Toute priorité</translation>
    </message>
    <message>
        <source>Only one priority</source>
        <translation>Une seule priorité</translation>
    </message>
    <message>
        <source>All tiers</source>
        <translation>Tous les niveaux</translation>
    </message>
    <message>
        <source>Only tickets at one tier</source>
        <translation>Seulement les tickets d&apos;un niveau</translation>
    </message>
    <message>
        <source>Per day</source>
        <translation>Par jour</translation>
    </message>
    <message>
        <source>Per week</source>
        <translation>Par semaine</translation>
    </message>
    <message>
        <source>The step of the reports over time</source>
        <translation>Le pas des rapports dans le temps</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualiser</translation>
    </message>
    <message>
        <source>Compute the reports for these filters</source>
        <translation>Calculer les rapports pour ces filtres</translation>
    </message>
    <message>
        <source>Export to &amp;Excel…</source>
        <translation>Exporter vers &amp;Excel…</translation>
    </message>
    <message>
        <source>Save the reports shown, and every ticket in range, as xlsx</source>
        <translation>Enregistrer les rapports affichés, et chaque ticket de la période, en xlsx</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>to</source>
        <translation>au</translation>
    </message>
    <message>
        <source>Cancel export</source>
        <translation>Annuler l&apos;export</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Export en cours…</translation>
    </message>
    <message>
        <source>Choose a range and press Refresh.</source>
        <translation>Choisissez une période et appuyez sur Actualiser.</translation>
    </message>
    <message>
        <source>Computing the reports…</source>
        <translation>Calcul des rapports…</translation>
    </message>
    <message>
        <source>day</source>
        <translation>jour</translation>
    </message>
    <message>
        <source>week</source>
        <translation>semaine</translation>
    </message>
    <message>
        <source>{range} · filters: {filters} · per {period} · computed {generated}</source>
        <translation>{range} · filtres : {filters} · par {period} · calculé le {generated}</translation>
    </message>
    <message>
        <source>No imbalance found against the thresholds set.</source>
        <translation>Aucun déséquilibre trouvé par rapport aux seuils fixés.</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Constats</translation>
    </message>
    <message>
        <source>Export reports to Excel</source>
        <translation>Exporter les rapports vers Excel</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Classeur Excel (*.xlsx)</translation>
    </message>
    <message>
        <source>{done:,} of {total:,} tickets</source>
        <translation>{done:,} sur {total:,} tickets</translation>
    </message>
    <message>
        <source>{done:,} tickets</source>
        <translation>{done:,} tickets</translation>
    </message>
    <message>
        <source>The reports could not be computed.</source>
        <translation>Les rapports n&apos;ont pas pu être calculés.</translation>
    </message>
    <message>
        <source>Exported to {path}</source>
        <translation>Exporté vers {path}</translation>
    </message>
    <message>
        <source>The export failed: {reason}</source>
        <translation>L&apos;export a échoué : {reason}</translation>
    </message>
</context>
<context>
    <name>RuleEditor</name>
    <message>
        <source>Enabled</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Stop processing further rules after this one fires</source>
        <translation>Ne plus traiter d&apos;autres règles après le déclenchement de celle-ci</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>If</source>
        <translation>Si</translation>
    </message>
    <message>
        <source>Then</source>
        <translation>Alors</translation>
    </message>
</context>
<context>
    <name>RuleListModel</name>
    <message>
        <source>(no name)</source>
        <translation>(sans nom)</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Disabled: the rule does nothing</source>
        <translation>Désactivée : la règle ne fait rien</translation>
    </message>
</context>
<context>
    <name>RulePreviewPanel</name>
    <message>
        <source>What the draft would do now</source>
        <translation>Ce que le brouillon ferait maintenant</translation>
    </message>
    <message>
        <source>Ticket</source>
        <translation>Ticket</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Tier now</source>
        <translation>Niveau actuel</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Règle</translation>
    </message>
    <message>
        <source>Would</source>
        <translation>Ferait</translation>
    </message>
    <message>
        <source>{count} action</source>
        <translation>{count} action</translation>
    </message>
    <message>
        <source>{count} actions</source>
        <translation>{count} actions</translation>
    </message>
    <message>
        <source>{count} open ticket</source>
        <translation>{count} ticket ouvert</translation>
    </message>
    <message>
        <source>{count} open tickets</source>
        <translation>{count} tickets ouverts</translation>
    </message>
    <message>
        <source>{count} move</source>
        <translation>{count} déplacement</translation>
    </message>
    <message>
        <source>{count} moves</source>
        <translation>{count} déplacements</translation>
    </message>
    <message>
        <source>{actions} on the {tickets} examined at {at:%Y-%m-%d %H:%M}.</source>
        <translation>{actions} sur {tickets} examinés le {at:%Y-%m-%d %H:%M}.</translation>
    </message>
    <message>
        <source>{moves} {what}.</source>
        <translation>{moves} : {what}.</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Quand</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Vers</translation>
    </message>
    <message>
        <source>Cause</source>
        <translation>Cause</translation>
    </message>
    <message>
        <source>Preview now</source>
        <translation>Aperçu maintenant</translation>
    </message>
    <message>
        <source>Which open tickets the draft would act on, and how</source>
        <translation>Sur quels tickets ouverts le brouillon agirait, et comment</translation>
    </message>
    <message>
        <source> days</source>
        <translation> jours</translation>
    </message>
    <message>
        <source>Replay last</source>
        <translation>Rejouer les derniers</translation>
    </message>
    <message>
        <source>Run the history of these days under the draft; nothing is written</source>
        <translation>Rejouer l&apos;historique de ces jours avec le brouillon ; rien n&apos;est écrit</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Try the draft before saving it: nothing is written.</source>
        <translation>Essayez le brouillon avant de l&apos;enregistrer : rien n&apos;est écrit.</translation>
    </message>
    <message>
        <source>⚠ The draft changed since: run it again to see the effect of your latest changes.</source>
        <translation>⚠ Le brouillon a changé depuis : relancez-le pour voir l&apos;effet de vos dernières modifications.</translation>
    </message>
    <message>
        <source>Looking at the open tickets…</source>
        <translation>Examen des tickets ouverts…</translation>
    </message>
    <message>
        <source>Now, the draft would take {actions} on {tickets} of {examined}.</source>
        <translation>Maintenant, le brouillon ferait {actions} sur {tickets} de {examined}.</translation>
    </message>
    <message>
        <source>Replayed {events} of {tickets} from {start:%Y-%m-%d} to {end:%Y-%m-%d}: {added} added, {removed} removed.</source>
        <translation>Rejeu du {start:%Y-%m-%d} au {end:%Y-%m-%d} : {events} de {tickets} ; en plus : {added}, en moins : {removed}.</translation>
    </message>
    <message>
        <source>{count:,} event</source>
        <translation>{count:,} événement</translation>
    </message>
    <message>
        <source>{count:,} events</source>
        <translation>{count:,} événements</translation>
    </message>
    <message>
        <source>{count:,} ticket</source>
        <translation>{count:,} ticket</translation>
    </message>
    <message>
        <source>{count:,} tickets</source>
        <translation>{count:,} tickets</translation>
    </message>
    <message>
        <source>Would act on</source>
        <translation>Agirait sur</translation>
    </message>
    <message>
        <source>Replaying the last {days} days under the draft…</source>
        <translation>Les {days} derniers jours sont rejoués avec le brouillon…</translation>
    </message>
    <message>
        <source>Replay cancelled; nothing to show.</source>
        <translation>Rejeu annulé ; rien à afficher.</translation>
    </message>
    <message>
        <source>Added ({count})</source>
        <translation>Ajoutés ({count})</translation>
    </message>
    <message>
        <source>Moves the draft would add</source>
        <translation>Déplacements que le brouillon ajouterait</translation>
    </message>
    <message>
        <source>the draft would have made that did not happen</source>
        <translation>le brouillon les aurait faits, ils n&apos;ont pas eu lieu</translation>
    </message>
    <message>
        <source>Removed ({count})</source>
        <translation>Supprimés ({count})</translation>
    </message>
    <message>
        <source>Moves the draft would remove</source>
        <translation>Déplacements que le brouillon supprimerait</translation>
    </message>
    <message>
        <source>happened that the draft would not have made</source>
        <translation>ont eu lieu, le brouillon ne les aurait pas faits</translation>
    </message>
    <message>
        <source>Distribution</source>
        <translation>Répartition</translation>
    </message>
    <message>
        <source>Compliance</source>
        <translation>Conformité</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Annulation…</translation>
    </message>
</context>
<context>
    <name>RulesDialog</name>
    <message>
        <source>Business rules</source>
        <translation>Règles métier</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Dupliquer</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Loading the rules…</source>
        <translation>Chargement des règles…</translation>
    </message>
    <message>
        <source>Read only: supervisors and admins change the rules. The preview writes nothing.</source>
        <translation>Lecture seule : les superviseurs et les admins modifient les règles. L&apos;aperçu n&apos;écrit rien.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Enregistrer</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Recharger</translation>
    </message>
    <message>
        <source>Discard your changes and load the saved rules again</source>
        <translation>Abandonner vos modifications et recharger les règles enregistrées</translation>
    </message>
    <message>
        <source>Rules, in the order they run (drag to reorder):</source>
        <translation>Règles, dans l&apos;ordre d&apos;exécution (glisser pour réordonner) :</translation>
    </message>
    <message>
        <source>The rules cannot be saved as they are:</source>
        <translation>Les règles ne peuvent pas être enregistrées telles quelles :</translation>
    </message>
    <message>
        <source>the rules are still loading</source>
        <translation>les règles sont encore en cours de chargement</translation>
    </message>
    <message>
        <source>the draft has {count} problem; it is shown next to its field. Fix it to preview the rules.</source>
        <translation>le brouillon a {count} problème ; il est affiché à côté de son champ. Corrigez-le pour prévisualiser les règles.</translation>
    </message>
    <message>
        <source>the draft has {count} problems; each is shown next to its field. Fix them to preview the rules.</source>
        <translation>le brouillon a {count} problèmes ; chacun est affiché à côté de son champ. Corrigez-les pour prévisualiser les règles.</translation>
    </message>
    <message>
        <source>{count} problem to fix first</source>
        <translation>{count} problème à corriger d&apos;abord</translation>
    </message>
    <message>
        <source>{count} problems to fix first</source>
        <translation>{count} problèmes à corriger d&apos;abord</translation>
    </message>
    <message>
        <source>{count} problem</source>
        <translation>{count} problème</translation>
    </message>
    <message>
        <source>{count} problems</source>
        <translation>{count} problèmes</translation>
    </message>
    <message>
        <source>{rules} rule</source>
        <translation>{rules} règle</translation>
    </message>
    <message>
        <source>{rules} rules</source>
        <translation>{rules} règles</translation>
    </message>
    <message>
        <source>⚠ {problems} in {rules}: Save is disabled until they are fixed.</source>
        <translation>⚠ {problems} dans {rules} : l&apos;enregistrement est désactivé jusqu&apos;à leur correction.</translation>
    </message>
    <message>
        <source>{count} rule, no problems.</source>
        <translation>{count} règle, aucun problème.</translation>
    </message>
    <message>
        <source>{count} rules, no problems.</source>
        <translation>{count} règles, aucun problème.</translation>
    </message>
    <message>
        <source>Saved: rule set version {version}, {count} rule.</source>
        <translation>Enregistré : jeu de règles version {version}, {count} règle.</translation>
    </message>
    <message>
        <source>Saved: rule set version {version}, {count} rules.</source>
        <translation>Enregistré : jeu de règles version {version}, {count} règles.</translation>
    </message>
    <message>
        <source>Not saved: {reason}
Press Reload to load their version (your changes are discarded), then make your changes again.</source>
        <translation>Non enregistré : {reason}
Appuyez sur Recharger pour charger leur version (vos modifications sont abandonnées), puis refaites vos modifications.</translation>
    </message>
    <message>
        <source>Not saved: the rules no longer pass the check (the desk changed meanwhile?):</source>
        <translation>Non enregistré : les règles ne passent plus la vérification (le desk a changé entre-temps ?) :</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>Nouvelle règle</translation>
    </message>
    <message>
        <source>Copy of {name}</source>
        <translation>Copie de {name}</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in to TierDesk</source>
        <translation>Se connecter à TierDesk</translation>
    </message>
    <message>
        <source>&lt;b&gt;Who is working on this desk?&lt;/b&gt;</source>
        <translation>&lt;b&gt;Qui travaille sur ce desk ?&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>Connect to…</source>
        <translation>Se connecter à…</translation>
    </message>
    <message>
        <source>Use another database: an embedded file or a server</source>
        <translation>Utiliser une autre base de données : un fichier intégré ou un serveur</translation>
    </message>
</context>
<context>
    <name>TicketActions</name>
    <message>
        <source>&amp;New ticket</source>
        <translation>&amp;Nouveau ticket</translation>
    </message>
    <message>
        <source>Open a new ticket</source>
        <translation>Ouvrir un nouveau ticket</translation>
    </message>
    <message>
        <source>&amp;Take</source>
        <translation>&amp;Prendre</translation>
    </message>
    <message>
        <source>Assign the ticket to yourself</source>
        <translation>Vous attribuer le ticket</translation>
    </message>
    <message>
        <source>&amp;Escalate</source>
        <translation>&amp;Escalader</translation>
    </message>
    <message>
        <source>Move the ticket one tier up</source>
        <translation>Monter le ticket d&apos;un niveau</translation>
    </message>
    <message>
        <source>&amp;Hand back</source>
        <translation>&amp;Rendre</translation>
    </message>
    <message>
        <source>Move it one tier down, saying why</source>
        <translation>Le descendre d&apos;un niveau, en disant pourquoi</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>Résou&amp;dre</translation>
    </message>
    <message>
        <source>Resolve it with a resolution note</source>
        <translation>Le résoudre avec une note de résolution</translation>
    </message>
    <message>
        <source>&amp;Comment</source>
        <translation>&amp;Commenter</translation>
    </message>
    <message>
        <source>Add a comment</source>
        <translation>Ajouter un commentaire</translation>
    </message>
    <message>
        <source>You took {key}</source>
        <translation>Vous avez pris {key}</translation>
    </message>
    <message>
        <source>Escalated {key} to {tier}</source>
        <translation>{key} escaladé en {tier}</translation>
    </message>
    <message>
        <source>Hand back {key}</source>
        <translation>Rendre {key}</translation>
    </message>
    <message>
        <source>Why does it go back a tier? The tier below will read this.</source>
        <translation>Pourquoi redescend-il d&apos;un niveau ? Le niveau inférieur lira cette raison.</translation>
    </message>
    <message>
        <source>Hand back</source>
        <translation>Rendre</translation>
    </message>
    <message>
        <source>Handed {key} back to {tier}</source>
        <translation>{key} rendu à {tier}</translation>
    </message>
    <message>
        <source>Resolve {key}</source>
        <translation>Résoudre {key}</translation>
    </message>
    <message>
        <source>How was it resolved? The requester and the next agent will read this.</source>
        <translation>Comment a-t-il été résolu ? Le demandeur et l&apos;agent suivant liront cette note.</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Résoudre</translation>
    </message>
    <message>
        <source>Resolved {key}</source>
        <translation>{key} résolu</translation>
    </message>
    <message>
        <source>Comment on {key}</source>
        <translation>Commenter {key}</translation>
    </message>
    <message>
        <source>Your comment:</source>
        <translation>Votre commentaire :</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Ajouter le commentaire</translation>
    </message>
    <message>
        <source>Commented on {key}</source>
        <translation>{key} commenté</translation>
    </message>
    <message>
        <source>Opened {key} at {tier}</source>
        <translation>{key} ouvert en {tier}</translation>
    </message>
</context>
<context>
    <name>TicketDetailsView</name>
    <message>
        <source>Tier clock</source>
        <translation>Horloge du niveau</translation>
    </message>
    <message>
        <source>Tier response</source>
        <translation>Réponse du niveau</translation>
    </message>
    <message>
        <source>Vendor clock</source>
        <translation>Horloge fournisseur</translation>
    </message>
    <message>
        <source>First response</source>
        <translation>Première réponse</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Résolution</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en cours</translation>
    </message>
    <message>
        <source>met</source>
        <translation>respecté</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>en pause</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>arrêté</translation>
    </message>
    <message>
        <source>overdue</source>
        <translation>en retard</translation>
    </message>
    <message>
        <source>breached</source>
        <translation>dépassé</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>escaladé</translation>
    </message>
    <message>
        <source>No ticket selected</source>
        <translation>Aucun ticket sélectionné</translation>
    </message>
    <message>
        <source>Select a ticket in the list to see its fields, comments and history.</source>
        <translation>Sélectionnez un ticket dans la liste pour voir ses champs, ses commentaires et son historique.</translation>
    </message>
    <message>
        <source>Loading history…</source>
        <translation>Chargement de l&apos;historique…</translation>
    </message>
    <message>
        <source>set by hand</source>
        <translation>fixée à la main</translation>
    </message>
    <message>
        <source>impact × urgency</source>
        <translation>impact × urgence</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <source>Impact / urgency</source>
        <translation>Impact / urgence</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Requester</source>
        <translation>Demandeur</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Attribué à</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créé</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Résolus</translation>
    </message>
    <message>
        <source>Reopened</source>
        <translation>Rouvert</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>(no description)</source>
        <translation>(pas de description)</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Description</translation>
    </message>
    <message>
        <source>Comments ({count})</source>
        <translation>Commentaires ({count})</translation>
    </message>
    <message>
        <source>No comments yet.</source>
        <translation>Pas encore de commentaires.</translation>
    </message>
    <message>
        <source>History (1 event)</source>
        <translation>Historique (1 événement)</translation>
    </message>
    <message>
        <source>History ({count} events)</source>
        <translation>Historique ({count} événements)</translation>
    </message>
    <message>
        <source>{count} earlier pauses not listed</source>
        <translation>{count} pauses antérieures non listées</translation>
    </message>
    <message>
        <source>SLA clocks</source>
        <translation>Horloges SLA</translation>
    </message>
    <message>
        <source>No SLA clock runs for this ticket.</source>
        <translation>Aucune horloge SLA ne tourne pour ce ticket.</translation>
    </message>
    <message>
        <source>counting</source>
        <translation>décompte</translation>
    </message>
    <message>
        <source>outside hours</source>
        <translation>hors horaires</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
    <message>
        <source>breach</source>
        <translation>dépassement</translation>
    </message>
    <message>
        <source>SLA clocks ({count})</source>
        <translation>Horloges SLA ({count})</translation>
    </message>
    <message>
        <source>target {duration}</source>
        <translation>objectif {duration}</translation>
    </message>
    <message>
        <source>used {duration}</source>
        <translation>utilisé {duration}</translation>
    </message>
    <message>
        <source>due {when}</source>
        <translation>échéance {when}</translation>
    </message>
    <message>
        <source> (now)</source>
        <translation> (maintenant)</translation>
    </message>
    <message>
        <source>{headline} at {when} — {note}</source>
        <translation>{headline} à {when} — {note}</translation>
    </message>
    <message>
        <source>(recorded {when})</source>
        <translation>(enregistré {when})</translation>
    </message>
    <message>
        <source>Paused {span} — {reason}</source>
        <translation>En pause {span} — {reason}</translation>
    </message>
    <message>
        <source>{what} folded together ({span})</source>
        <translation>{what} regroupés ({span})</translation>
    </message>
</context>
<context>
    <name>TicketDialog</name>
    <message>
        <source>{priority} (set by hand)</source>
        <translation>{priority} (fixée à la main)</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Enregistrer</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Fermer</translation>
    </message>
    <message>
        <source>Assign</source>
        <translation>Attribuer</translation>
    </message>
    <message>
        <source>&amp;Take</source>
        <translation>&amp;Prendre</translation>
    </message>
    <message>
        <source>Unassign</source>
        <translation>Retirer l&apos;attribution</translation>
    </message>
    <message>
        <source>Set status</source>
        <translation>Changer le statut</translation>
    </message>
    <message>
        <source>How was it resolved? Required to resolve.</source>
        <translation>Comment a-t-il été résolu ? Obligatoire pour résoudre.</translation>
    </message>
    <message>
        <source>&amp;Resolve</source>
        <translation>Résou&amp;dre</translation>
    </message>
    <message>
        <source>Why it is reopened (optional)</source>
        <translation>Pourquoi il est rouvert (facultatif)</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Rouvrir</translation>
    </message>
    <message>
        <source>Close ticket</source>
        <translation>Clore le ticket</translation>
    </message>
    <message>
        <source>Write a comment</source>
        <translation>Écrire un commentaire</translation>
    </message>
    <message>
        <source>Add comment</source>
        <translation>Ajouter le commentaire</translation>
    </message>
    <message>
        <source>Keep my changes</source>
        <translation>Garder mes modifications</translation>
    </message>
    <message>
        <source>Discard mine and reload</source>
        <translation>Abandonner les miennes et recharger</translation>
    </message>
    <message>
        <source>&amp;Fields</source>
        <translation>&amp;Champs</translation>
    </message>
    <message>
        <source>&amp;Assignment</source>
        <translation>&amp;Attribution</translation>
    </message>
    <message>
        <source>Stat&amp;us</source>
        <translation>Stat&amp;ut</translation>
    </message>
    <message>
        <source>&amp;Comments</source>
        <translation>C&amp;ommentaires</translation>
    </message>
    <message>
        <source>Time&amp;line</source>
        <translation>&amp;Historique</translation>
    </message>
    <message>
        <source>&amp;Title:</source>
        <translation>&amp;Titre :</translation>
    </message>
    <message>
        <source>&amp;Requester:</source>
        <translation>&amp;Demandeur :</translation>
    </message>
    <message>
        <source>Cate&amp;gory:</source>
        <translation>Caté&amp;gorie :</translation>
    </message>
    <message>
        <source>&amp;Impact:</source>
        <translation>&amp;Impact :</translation>
    </message>
    <message>
        <source>Urge&amp;ncy:</source>
        <translation>Urge&amp;nce :</translation>
    </message>
    <message>
        <source>&amp;Priority:</source>
        <translation>&amp;Priorité :</translation>
    </message>
    <message>
        <source>&amp;Description:</source>
        <translation>D&amp;escription :</translation>
    </message>
    <message>
        <source>Assigned to:</source>
        <translation>Attribué à :</translation>
    </message>
    <message>
        <source>Give it to:</source>
        <translation>Le confier à :</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Statut :</translation>
    </message>
    <message>
        <source>Working status:</source>
        <translation>Statut de travail :</translation>
    </message>
    <message>
        <source>Resolution:</source>
        <translation>Résolution :</translation>
    </message>
    <message>
        <source>Reopen / close:</source>
        <translation>Rouvrir / clore :</translation>
    </message>
    <message>
        <source>The {field} {problem}.</source>
        <translation>{field} : {problem}.</translation>
    </message>
    <message>
        <source>{status} at {tier} · {priority} · version {version} · updated {updated}</source>
        <translation>{status} en {tier} · {priority} · version {version} · modifié {updated}</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
    <message>
        <source>&amp;Comments ({count})</source>
        <translation>C&amp;ommentaires ({count})</translation>
    </message>
    <message>
        <source>No comments yet.</source>
        <translation>Pas encore de commentaires.</translation>
    </message>
    <message>
        <source>Not saved: {why}. What you typed is kept here; try again once the database answers.</source>
        <translation>Non enregistré : {why}. Ce que vous avez saisi est conservé ici ; réessayez quand la base de données répondra.</translation>
    </message>
    <message>
        <source>Nothing to save.</source>
        <translation>Rien à enregistrer.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Enregistré.</translation>
    </message>
    <message>
        <source>Someone else changed {key} while you were editing it (version {version} → {current}). Nothing of yours was saved yet; your edits are still in the form.</source>
        <translation>Quelqu&apos;un d&apos;autre a modifié {key} pendant que vous le modifiiez (version {version} → {current}). Rien de votre part n&apos;a encore été enregistré ; vos modifications sont toujours dans le formulaire.</translation>
    </message>
    <message>
        <source>You both changed:</source>
        <translation>Vous avez tous deux modifié :</translation>
    </message>
    <message>
        <source>yours “{mine}”, now “{now}”</source>
        <translation>le vôtre « {mine} », maintenant « {now} »</translation>
    </message>
    <message>
        <source>edits</source>
        <translation>modifications</translation>
    </message>
    <message>
        <source>&lt;i&gt;Keep my changes&lt;/i&gt; saves your {yours} on top of the new version and takes their {theirs}.</source>
        <translation>&lt;i&gt;Garder mes modifications&lt;/i&gt; enregistre vos champs ({yours}) sur la nouvelle version et reprend les leurs ({theirs}).</translation>
    </message>
    <message>
        <source>&lt;i&gt;Keep my changes&lt;/i&gt; saves your {yours} on top of the new version.</source>
        <translation>&lt;i&gt;Garder mes modifications&lt;/i&gt; enregistre vos champs ({yours}) sur la nouvelle version.</translation>
    </message>
    <message>
        <source> &lt;i&gt;Discard mine and reload&lt;/i&gt; shows the ticket as it is now.</source>
        <translation> &lt;i&gt;Abandonner les miennes et recharger&lt;/i&gt; affiche le ticket tel qu&apos;il est maintenant.</translation>
    </message>
    <message>
        <source>{when} {who} changed the {field} from “{old}” to “{new}”</source>
        <translation>{when} {who} a changé le champ {field} de « {old} » à « {new} »</translation>
    </message>
    <message>
        <source>by hand</source>
        <translation>à la main</translation>
    </message>
    <message>
        <source>from impact × urgency</source>
        <translation>d&apos;après impact × urgence</translation>
    </message>
    <message>
        <source>{when} {who} set the priority {old} → {new} ({how})</source>
        <translation>{when} {who} a fixé la priorité {old} → {new} ({how})</translation>
    </message>
    <message>
        <source>{when} {who} assigned it to {person}</source>
        <translation>{when} {who} l&apos;a attribué à {person}</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <source>{name}  (resolved at {tier}+)</source>
        <translation>{name}  (résolu à partir de {tier})</translation>
    </message>
    <message>
        <source>Automatic (impact × urgency): {priority}</source>
        <translation>Automatique (impact × urgence) : {priority}</translation>
    </message>
    <message>
        <source>Loaded the new version; none of your edits differ from it.</source>
        <translation>Nouvelle version chargée ; aucune de vos modifications n&apos;en diffère.</translation>
    </message>
    <message>
        <source>Reloaded; your edits were discarded.</source>
        <translation>Rechargé ; vos modifications ont été abandonnées.</translation>
    </message>
    <message>
        <source>You took it.</source>
        <translation>Vous l&apos;avez pris.</translation>
    </message>
    <message>
        <source>Choose someone who works this tier.</source>
        <translation>Choisissez quelqu&apos;un qui travaille à ce niveau.</translation>
    </message>
    <message>
        <source>Assigned to {person}.</source>
        <translation>Attribué à {person}.</translation>
    </message>
    <message>
        <source>Unassigned.</source>
        <translation>Attribution retirée.</translation>
    </message>
    <message>
        <source>Status set to {status}.</source>
        <translation>Statut changé en {status}.</translation>
    </message>
    <message>
        <source>Write how it was resolved: the note is required.</source>
        <translation>Écrivez comment il a été résolu : la note est obligatoire.</translation>
    </message>
    <message>
        <source>Resolved.</source>
        <translation>Résolu.</translation>
    </message>
    <message>
        <source>Reopened.</source>
        <translation>Rouvert.</translation>
    </message>
    <message>
        <source>Closed.</source>
        <translation>Clos.</translation>
    </message>
    <message>
        <source>Write the comment first.</source>
        <translation>Écrivez d&apos;abord le commentaire.</translation>
    </message>
    <message>
        <source>Comment added.</source>
        <translation>Commentaire ajouté.</translation>
    </message>
</context>
<context>
    <name>TicketFilterBar</name>
    <message>
        <source>All tiers</source>
        <translation>Tous les niveaux</translation>
    </message>
    <message>
        <source>Show one tier&apos;s queue</source>
        <translation>Afficher la file d&apos;un niveau</translation>
    </message>
    <message>
        <source>Active (not resolved)</source>
        <translation>Actifs (non résolus)</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Tout statut</translation>
    </message>
    <message>
        <source>All categories</source>
        <translation>Toutes les catégories</translation>
    </message>
    <message>
        <source>Show one category</source>
        <translation>Afficher une catégorie</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>Toute priorité</translation>
    </message>
    <message>
        <source>Show one priority</source>
        <translation>Afficher une priorité</translation>
    </message>
    <message>
        <source>&amp;My tickets</source>
        <translation>&amp;Mes tickets</translation>
    </message>
    <message>
        <source>Only tickets assigned to you</source>
        <translation>Seulement les tickets qui vous sont attribués</translation>
    </message>
    <message>
        <source>My &amp;tiers</source>
        <translation>Mes &amp;niveaux</translation>
    </message>
    <message>
        <source>Only tickets at the tiers you work</source>
        <translation>Seulement les tickets des niveaux où vous travaillez</translation>
    </message>
    <message>
        <source>&amp;Breached / at risk</source>
        <translation>&amp;Dépassés / à risque</translation>
    </message>
    <message>
        <source>Only tickets whose tier clock is breached or past its warning (on the board)</source>
        <translation>Seulement les tickets dont l&apos;horloge de niveau est dépassée ou a passé son avertissement (sur le tableau)</translation>
    </message>
    <message>
        <source>Search key, title or requester  (Ctrl+F)</source>
        <translation>Rechercher clé, titre ou demandeur  (Ctrl+F)</translation>
    </message>
    <message>
        <source>Tier:</source>
        <translation>Niveau :</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Statut :</translation>
    </message>
    <message>
        <source>{shown:,} of {total:,} tickets</source>
        <translation>{shown:,} sur {total:,} tickets</translation>
    </message>
</context>
<context>
    <name>TicketTableModel</name>
    <message>
        <source>Key</source>
        <translation>Clé</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titre</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Niveau</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorité</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Catégorie</translation>
    </message>
    <message>
        <source>Assignee</source>
        <translation>Attribué à</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>Modifié</translation>
    </message>
    <message>
        <source>Updated {updated}
Created {created}</source>
        <translation>Modifié {updated}
Créé {created}</translation>
    </message>
    <message>
        <source>set by hand</source>
        <translation>fixée à la main</translation>
    </message>
    <message>
        <source>impact × urgency</source>
        <translation>impact × urgence</translation>
    </message>
    <message>
        <source>{priority} ({how}): impact {impact}, urgency {urgency}</source>
        <translation>{priority} ({how}) : impact {impact}, urgence {urgency}</translation>
    </message>
    <message>
        <source>{title}
Requested by {requester}</source>
        <translation>{title}
Demandé par {requester}</translation>
    </message>
</context>
<context>
    <name>TierColumnModel</name>
    <message>
        <source>nobody</source>
        <translation>personne</translation>
    </message>
</context>
<context>
    <name>TiersPage</name>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>What it resolves</source>
        <translation>Ce qu&apos;il résout</translation>
    </message>
    <message>
        <source>WIP limit</source>
        <translation>Limite WIP</translation>
    </message>
    <message>
        <source>Vendor</source>
        <translation>Fournisseur</translation>
    </message>
    <message>
        <source>Retired</source>
        <translation>Retiré</translation>
    </message>
    <message>
        <source>Tier ladder</source>
        <translation>Échelle des niveaux</translation>
    </message>
    <message>
        <source>&amp;Add tier</source>
        <translation>&amp;Ajouter un niveau</translation>
    </message>
    <message>
        <source>Move &amp;up</source>
        <translation>&amp;Monter</translation>
    </message>
    <message>
        <source>Move &amp;down</source>
        <translation>&amp;Descendre</translation>
    </message>
    <message>
        <source>Lowest tier first: tickets enter at the first tier that is not retired and escalate upwards. At most one vendor tier, at the top. A tier with open tickets can be retired once they are moved.</source>
        <translation>Le niveau le plus bas d&apos;abord : les tickets entrent au premier niveau non retiré et sont escaladés vers le haut. Au plus un niveau fournisseur, tout en haut. Un niveau avec des tickets ouverts peut être retiré une fois ceux-ci déplacés.</translation>
    </message>
    <message>
        <source>in row {row}</source>
        <translation>à la ligne {row}</translation>
    </message>
    <message>
        <source>row {row}</source>
        <translation>ligne {row}</translation>
    </message>
    <message>
        <source>Tier {code}, {column}: {message}</source>
        <translation>Niveau {code}, {column} : {message}</translation>
    </message>
    <message>
        <source>New tier</source>
        <translation>Nouveau niveau</translation>
    </message>
</context>
<context>
    <name>TriggerEditor</name>
    <message>
        <source>A ticket is created</source>
        <translation>Un ticket est créé</translation>
    </message>
    <message>
        <source>A ticket is updated</source>
        <translation>Un ticket est modifié</translation>
    </message>
    <message>
        <source>Time passes</source>
        <translation>Le temps passe</translation>
    </message>
    <message>
        <source>without resolution</source>
        <translation>sans résolution</translation>
    </message>
    <message>
        <source>in the current tier</source>
        <translation>au niveau actuel</translation>
    </message>
    <message>
        <source>since the last update</source>
        <translation>depuis la dernière modification</translation>
    </message>
    <message>
        <source>left before a clock breaches</source>
        <translation>restant avant qu&apos;une horloge soit dépassée</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>heures</translation>
    </message>
    <message>
        <source>days</source>
        <translation>jours</translation>
    </message>
    <message>
        <source>fields watched; empty: any change</source>
        <translation>champs surveillés ; vide : toute modification</translation>
    </message>
    <message>
        <source>{clock} clock</source>
        <translation>horloge {clock}</translation>
    </message>
    <message>
        <source>wall time (24/7)</source>
        <translation>temps réel (24/7)</translation>
    </message>
    <message>
        <source>business time of {calendar}</source>
        <translation>temps ouvré de {calendar}</translation>
    </message>
    <message>
        <source>in</source>
        <translation>dans</translation>
    </message>
</context>
<context>
    <name>UserListModel</name>
    <message>
        <source>Login: {login}</source>
        <translation>Identifiant : {login}</translation>
    </message>
</context>
<context>
    <name>ValueListEdit</name>
    <message>
        <source>pick or type, separated by commas</source>
        <translation>choisir ou saisir, séparés par des virgules</translation>
    </message>
    <message>
        <source>Pick from the desk&apos;s values</source>
        <translation>Choisir parmi les valeurs du desk</translation>
    </message>
</context>
<context>
    <name>application</name>
    <message>
        <source>TierDesk cannot start</source>
        <translation>TierDesk ne peut pas démarrer</translation>
    </message>
    <message>
        <source>TierDesk could not start.

{message}</source>
        <translation>TierDesk n&apos;a pas pu démarrer.

{message}</translation>
    </message>
    <message>
        <source>Change connection…</source>
        <translation>Changer de connexion…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
</context>
<context>
    <name>card_delegate</name>
    <message>
        <source>{days}d {hours}h</source>
        <translation>{days}j {hours}h</translation>
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
        <translation>reste {span}</translation>
    </message>
    <message>
        <source>{span} over</source>
        <translation>{span} de retard</translation>
    </message>
    <message>
        <source>paused · {text}</source>
        <translation>en pause · {text}</translation>
    </message>
</context>
<context>
    <name>escalation_monitor</name>
    <message>
        <source>Escalation timer: stopped</source>
        <translation>Minuteur d&apos;escalade : arrêté</translation>
    </message>
    <message>
        <source>Escalation timer: retrying ({error})</source>
        <translation>Minuteur d&apos;escalade : nouvel essai ({error})</translation>
    </message>
    <message>
        <source>Escalation timer: no SLA clock running</source>
        <translation>Minuteur d&apos;escalade : aucune horloge SLA en cours</translation>
    </message>
    <message>
        <source>Escalation timer: next deadline {deadline:%a %H:%M:%S}</source>
        <translation>Minuteur d&apos;escalade : prochaine échéance {deadline:%d/%m %H:%M:%S}</translation>
    </message>
</context>
<context>
    <name>formatting</name>
    <message>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Ouvert</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>En cours</translation>
    </message>
    <message>
        <source>Waiting on customer</source>
        <translation>En attente du client</translation>
    </message>
    <message>
        <source>Waiting on vendor</source>
        <translation>En attente du fournisseur</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Résolus</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Clos</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Superviseur</translation>
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
        <translation>Haute</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Moyenne</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Basse</translation>
    </message>
    <message>
        <source>{amount} min ago</source>
        <translation>il y a {amount} min</translation>
    </message>
    <message>
        <source>{amount} h ago</source>
        <translation>il y a {amount} h</translation>
    </message>
    <message>
        <source>{amount} d ago</source>
        <translation>il y a {amount} j</translation>
    </message>
    <message>
        <source>{amount} wk ago</source>
        <translation>il y a {amount} sem.</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>à l&apos;instant</translation>
    </message>
    <message>
        <source>reads every tier</source>
        <translation>lit tous les niveaux</translation>
    </message>
    <message>
        <source>no tier yet</source>
        <translation>pas encore de niveau</translation>
    </message>
    <message>
        <source>all tiers</source>
        <translation>tous les niveaux</translation>
    </message>
</context>
<context>
    <name>report_charts</name>
    <message>
        <source>Jan</source>
        <translation>janv.</translation>
    </message>
    <message>
        <source>Feb</source>
        <translation>févr.</translation>
    </message>
    <message>
        <source>Mar</source>
        <translation>mars</translation>
    </message>
    <message>
        <source>Apr</source>
        <translation>avr.</translation>
    </message>
    <message>
        <source>May</source>
        <translation>mai</translation>
    </message>
    <message>
        <source>Jun</source>
        <translation>juin</translation>
    </message>
    <message>
        <source>Jul</source>
        <translation>juil.</translation>
    </message>
    <message>
        <source>Aug</source>
        <translation>août</translation>
    </message>
    <message>
        <source>Sep</source>
        <translation>sept.</translation>
    </message>
    <message>
        <source>Oct</source>
        <translation>oct.</translation>
    </message>
    <message>
        <source>Nov</source>
        <translation>nov.</translation>
    </message>
    <message>
        <source>Dec</source>
        <translation>déc.</translation>
    </message>
    <message>
        <source>{month} {day}</source>
        <translation>{day} {month}</translation>
    </message>
</context>
<context>
    <name>startup</name>
    <message>
        <source>This desk has no TierDesk user with the login {login!r}</source>
        <translation>Ce desk n&apos;a pas d&apos;utilisateur TierDesk avec l&apos;identifiant {login!r}</translation>
    </message>
    <message>
        <source>Ask a TierDesk administrator to add a user with the login {login!r}</source>
        <translation>Demandez à un administrateur TierDesk d&apos;ajouter un utilisateur avec l&apos;identifiant {login!r}</translation>
    </message>
    <message>
        <source>The TierDesk user {login!r} is disabled on this desk</source>
        <translation>L&apos;utilisateur TierDesk {login!r} est désactivé sur ce desk</translation>
    </message>
    <message>
        <source>Ask a TierDesk administrator to enable the user {login!r}</source>
        <translation>Demandez à un administrateur TierDesk d&apos;activer l&apos;utilisateur {login!r}</translation>
    </message>
    <message>
        <source>{problem}. On a shared server you are signed in as the TierDesk user whose login is your database login, and you connect to the {where} as {login!r}.

{fix}, or choose another connection with “Change connection…”.</source>
        <translation>{problem}. Sur un serveur partagé, vous êtes connecté en tant que l&apos;utilisateur TierDesk dont l&apos;identifiant est votre identifiant de base de données, et vous vous connectez à {where} en tant que {login!r}.

{fix}, ou choisissez une autre connexion avec « Changer de connexion… ».</translation>
    </message>
</context>
<context>
    <name>ticket_form</name>
    <message>
        <source>title</source>
        <translation>titre</translation>
    </message>
    <message>
        <source>description</source>
        <translation>description</translation>
    </message>
    <message>
        <source>requester</source>
        <translation>demandeur</translation>
    </message>
    <message>
        <source>category</source>
        <translation>catégorie</translation>
    </message>
    <message>
        <source>impact</source>
        <translation>impact</translation>
    </message>
    <message>
        <source>urgency</source>
        <translation>urgence</translation>
    </message>
    <message>
        <source>priority</source>
        <translation>priorité</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automatique</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(vide)</translation>
    </message>
    <message>
        <source>Read only: managers read tickets; they do not change them.</source>
        <translation>Lecture seule : les managers lisent les tickets, ils ne les modifient pas.</translation>
    </message>
    <message>
        <source>no tier</source>
        <translation>aucun niveau</translation>
    </message>
    <message>
        <source>Read only: {key} is at {tier} and you work {worked}.</source>
        <translation>Lecture seule : {key} est en {tier} et vous travaillez en {worked}.</translation>
    </message>
</context>
<context>
    <name>unsaved_changes</name>
    <message>
        <source>Unsaved changes</source>
        <translation>Modifications non enregistrées</translation>
    </message>
    <message>
        <source>Your changes have not been saved. Discard them and close?</source>
        <translation>Vos modifications n&apos;ont pas été enregistrées. Les abandonner et fermer ?</translation>
    </message>
    <message>
        <source>Discard changes</source>
        <translation>Abandonner les modifications</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>Continuer la modification</translation>
    </message>
</context>
</TS>
