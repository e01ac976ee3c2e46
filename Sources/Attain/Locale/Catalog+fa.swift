// The Persian catalog (fa): the same keys as the English one. Pages in Persian run right to left.

extension Catalog {
    public static let persian: [String: String] = [
        // Statement
        "statement.title": "صورت‌حساب {0}، {1}",
        "statement.eyebrow": "صورت‌حساب پورسانت · {0}",
        "statement.payee_id": "شناسهٔ دریافت‌کننده {0}",
        "statement.total_paid": "جمع پرداختی",

        // Team page and index (keys `team.`, `index.`)
        "index.title": "صورت‌حساب‌های {0}",
        "index.eyebrow": "صورت‌حساب‌های پورسانت · {0}",
        "index.heading": "همهٔ صورت‌حساب‌های {0}",
        "index.dates": "{0} تا {1}",
        "index.count": "دریافت‌کنندگان: {0}",
        "index.none": "برای این دوره صورت‌حسابی نیست.",
        "index.col.payee": "دریافت‌کننده",
        "index.col.id": "شناسه",
        "index.col.plan": "طرح",
        "index.col.attainment": "تحقق",
        "index.col.paid": "پرداختی",
        "index.col.team": "تیم",
        "index.team_link": "صفحهٔ تیم",
        "index.plan": "{0}، نسخهٔ {1}",
        "index.total": "جمع پرداختی ({0})",
        "index.note": "تحقق، تحقق کل است؛ اگر طرح وزنی نداشته باشد، تحقق نخستین سنجه. نوارها از ۰٪ تا ۲۰۰٪ سهمیه‌اند و خط وسط ۱۰۰٪ است.",
        "team.title": "تیم {0}، {1}",
        "team.back": "همهٔ صورت‌حساب‌ها",
        "team.eyebrow": "صفحهٔ تیم · {0}",
        "team.heading": "تیم {0}",
        "team.manager_id": "شناسهٔ مدیر {0}",
        "team.dates": "{0} تا {1}",
        "team.count": "اعضای تیم: {0}",
        "team.reports": "اعضای تیم",
        "team.rep_id": "شناسه {0}",
        "team.private": "خصوصی",
        "team.private_note": "طرح این فرد تحقق را با تیم به اشتراک نمی‌گذارد.",
        "team.col.measure": "سنجه",
        "team.col.progress": "پیشرفت تا سهمیه",
        "team.col.bar": "نوار",
        "team.col.attainment": "تحقق",
        "team.total_attainment": "تحقق کل",
        "team.weighted": "وزن‌دار روی همهٔ سنجه‌ها",
        "team.paid": "پرداختی:",
        "team.value_of_quota": "{0} از {1}",
        "team.no_quota": "{0} (بدون سهمیه)",
        "team.exact": "مقدار دقیق: {0}",
        "team.rollup": "جمع تیم",
        "team.rollup_none": "هیچ عضوی سنجه‌ای به اشتراک نگذاشته است.",
        "team.col.team_progress": "جمع تیم از سهمیه",
        "team.rollup_reports": "({0} نفر)",
        "team.rollup_note": "جمعِ {0} عضوی که طرحشان تحقق را به اشتراک می‌گذارد.",
        "team.rollup_private": "{0} عضو خصوصی در این جمع نیستند.",
        "team.bar_label": "{0} از سهمیه",
        "team.scale": "نوارها از ۰٪ تا ۲۰۰٪ سهمیه‌اند؛ خط‌چین ۱۰۰٪ است.",
        "team.footer": "این صفحه فقط آنچه طرح هر فرد اجازه می‌دهد نشان می‌دهد: سنجه‌ها و تحقق برای طرح‌هایی که تحقق را به اشتراک می‌گذارند، و پرداختی فقط وقتی پرداخت هم به اشتراک گذاشته شده باشد. بقیه فقط با نام آمده‌اند.",

        // Compare report (keys `compare.`)
        "compare.marker": "-",

        // Terminal tables (keys `table.`)
        "table.marker": "-",
    ]
}
