// The Simplified Chinese catalog (zh-Hans): the same keys as the English one.

extension Catalog {
    public static let simplifiedChinese: [String: String] = [
        // Statement
        "statement.title": "{0} 的提成结算单，{1}",
        "statement.eyebrow": "提成结算单 · {0}",
        "statement.payee_id": "收款人编号 {0}",
        "statement.total_paid": "实发合计",

        // Team page and index (keys `team.`, `index.`)
        "index.title": "{0} 佣金单",
        "index.eyebrow": "佣金单 · {0}",
        "index.heading": "{0} 全部佣金单",
        "index.dates": "{0} 至 {1}",
        "index.count": "共 {0} 人",
        "index.none": "本期没有佣金单。",
        "index.col.payee": "姓名",
        "index.col.id": "编号",
        "index.col.plan": "方案",
        "index.col.attainment": "达成率",
        "index.col.paid": "实发",
        "index.col.team": "团队",
        "index.team_link": "团队页",
        "index.plan": "{0}（第 {1} 版）",
        "index.total": "实发合计（{0}）",
        "index.note": "达成率为总达成率；方案未设权重时，为第一个考核项的达成率。进度条从目标的 0% 到 200%，竖线为 100%。",
        "team.title": "{0}的团队，{1}",
        "team.back": "全部佣金单",
        "team.eyebrow": "团队页 · {0}",
        "team.heading": "{0}的团队",
        "team.manager_id": "经理编号 {0}",
        "team.dates": "{0} 至 {1}",
        "team.count": "下属 {0} 人",
        "team.reports": "团队成员",
        "team.rep_id": "编号 {0}",
        "team.private": "不公开",
        "team.private_note": "其方案不向团队公开业绩。",
        "team.col.measure": "考核项",
        "team.col.progress": "目标完成情况",
        "team.col.bar": "进度条",
        "team.col.attainment": "达成率",
        "team.total_attainment": "总达成率",
        "team.weighted": "按各考核项权重",
        "team.paid": "实发：",
        "team.value_of_quota": "{0} / 目标 {1}",
        "team.no_quota": "{0}（无目标）",
        "team.exact": "精确值：{0}",
        "team.rollup": "团队汇总",
        "team.rollup_none": "没有成员公开考核项。",
        "team.col.team_progress": "团队合计 / 目标",
        "team.rollup_reports": "（{0} 人）",
        "team.rollup_note": "只合计方案公开业绩的 {0} 位成员。",
        "team.rollup_private": "另有 {0} 位成员不公开，未计入。",
        "team.bar_label": "目标的 {0}",
        "team.scale": "进度条从目标的 0% 到 200%，虚线为 100%。",
        "team.footer": "本页只显示各成员方案允许公开的内容：方案公开业绩的，显示考核项和达成率；同时公开收入的，才显示实发金额。其他成员只列姓名。",

        // Compare report (keys `compare.`)
        "compare.marker": "-",

        // Terminal tables (keys `table.`)
        "table.marker": "-",
    ]
}
