// The English catalog: every key of the pages, in English. The other catalogs have the same keys.

extension Catalog {
    public static let english: [String: String] = [
        // Statement
        "statement.title": "Statement for {0}, {1}",
        "statement.eyebrow": "Commission statement · {0}",
        "statement.payee_id": "Payee ID {0}",
        "statement.total_paid": "Total paid",

        // Team page and index (keys `team.`, `index.`)
        "index.title": "Statements, {0}",
        "index.eyebrow": "Commission statements · {0}",
        "index.heading": "All statements for {0}",
        "index.dates": "{0} to {1}",
        "index.count": "Payees: {0}",
        "index.none": "There are no statements for this period.",
        "index.col.payee": "Payee",
        "index.col.id": "ID",
        "index.col.plan": "Plan",
        "index.col.attainment": "Attainment",
        "index.col.paid": "Paid",
        "index.col.team": "Team",
        "index.team_link": "team",
        "index.plan": "{0} v{1}",
        "index.total": "Total paid ({0})",
        "index.note": "Attainment is the total attainment, or the first measure’s where a plan weighs none. Bars run from 0% to 200% of quota; the mark is 100%.",
        "team.title": "Team of {0}, {1}",
        "team.back": "All statements",
        "team.eyebrow": "Team page · {0}",
        "team.heading": "{0}’s team",
        "team.manager_id": "Manager ID {0}",
        "team.dates": "{0} to {1}",
        "team.count": "Reports: {0}",
        "team.reports": "Reports",
        "team.rep_id": "ID {0}",
        "team.private": "Private",
        "team.private_note": "Their plan does not share attainment with the team.",
        "team.col.measure": "Measure",
        "team.col.progress": "Progress to quota",
        "team.col.bar": "Bar",
        "team.col.attainment": "Attainment",
        "team.total_attainment": "Total attainment",
        "team.weighted": "weighted across the measures",
        "team.paid": "Paid:",
        "team.value_of_quota": "{0} of {1}",
        "team.no_quota": "{0} (no quota)",
        "team.exact": "Exact: {0}",
        "team.rollup": "Team roll-up",
        "team.rollup_none": "No report shares a measure.",
        "team.col.team_progress": "Team total of quota",
        "team.rollup_reports": "({0} reps)",
        "team.rollup_note": "Sums over the {0} reports whose plans share attainment.",
        "team.rollup_private": "Private reports left out: {0}.",
        "team.bar_label": "{0} of quota",
        "team.scale": "Bars run from 0% to 200% of quota; the dashed mark is 100%.",
        "team.footer": "This page shows only what each rep’s plan shares: measures and attainment where the plan shares attainment with the team, pay only where it shares pay too. Reps on other plans are listed by name.",

        // Compare report (keys `compare.`)
        "compare.marker": "-",

        // Terminal tables (keys `table.`)
        "table.marker": "-",
    ]
}
