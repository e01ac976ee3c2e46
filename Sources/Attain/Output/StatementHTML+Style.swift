// The style of statement pages: one stylesheet for both directions (logical properties: start/end, inline-start),
// the language's fonts, and the print layout with the payee's name and page numbers on every page.

extension StatementHTML {
    /// The rules for the tables under team measures.
    static let rollUpCSS = """
        table.from { width: auto; min-width: 50%; margin-block: 2px 10px; font-size: 13px; }
        table.from caption { text-align: start; font-size: 12px; color: #5b6470; padding: 0 8px 2px; }
        table.from th { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: #5b6470; border-bottom: 1px solid #c9ced5; padding: 4px 8px; }
        table.from td { border-bottom: 1px solid #eef0f3; padding: 4px 8px; }
        @media print {
          table.from { font-size: 8pt; line-height: 1.2; margin-block: 0 6px; }
          table.from th { font-size: 7pt; padding: 1px 6px; }
          table.from td { padding: 0 6px; }
        }

        """

    /// The rules that depend on the page: the language's font stack, and the running header and page numbers of print
    /// (`@page` margin boxes: the payee's name and period at the top, "page N of M" at the bottom, mirrored for
    /// right-to-left languages).
    static func pageCSS(_ p: StatementPage) -> String {
        let rtl = p.locale.isRightToLeft
        let style = p.locale == .persian ? "persian" : "decimal"
        // "Page {0} of {1}" → "Page " counter(page) " of " counter(pages).
        let template = p.locale.catalog["statement.print_page"] ?? Catalog.english["statement.print_page"] ?? "{0} / {1}"
        let counters = "\"" + cssString(template)
            .split(separator: "{0}", omittingEmptySubsequences: false).joined(separator: "\" counter(page, \(style)) \"")
            .split(separator: "{1}", omittingEmptySubsequences: false).joined(separator: "\" counter(pages, \(style)) \"") + "\""
        // A margin box has no <bdi>: the name and the period are in Unicode isolates (a Persian name on an English page).
        let who = cssString(p.plain("statement.print_header", isolated(p.s.payeeName), isolated(p.s.period.label)))
        let font = p.locale.fontStack
        return """
            body, .page { font-family: \(font); }
            @page {
              size: auto; margin: 13mm 12mm 13mm;
              @\(rtl ? "top-right" : "top-left") { content: "\(who)"; font-family: \(font); font-size: 8pt; color: #5b6470; }
              @\(rtl ? "bottom-left" : "bottom-right") { content: \(counters); font-family: \(font); font-size: 8pt; color: #5b6470; }
            }

            """
    }

    /// The page's rules, for both directions.
    static let css = """
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; background: #f3f4f6; color: #1b1f24; font-size: 15px; line-height: 1.45; }
        .page { max-width: 1080px; margin: 24px auto; padding: 36px 44px; background: #fff; border: 1px solid #dde1e6; }
        h1 { font-size: 28px; margin: 2px 0 2px; }
        h2 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1f4e8c; color: #1f4e8c; }
        .muted { color: #5b6470; }
        .eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .06em; font-size: 12px; color: #5b6470; }
        .who p { margin: 0; }
        .id, .trace, code { font-family: "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; font-size: .9em; }
        code { background: #f0f2f5; padding: 0 3px; border-radius: 3px; }
        .top { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px; }
        .paid-box { text-align: end; border: 2px solid #1f4e8c; border-radius: 8px; padding: 10px 18px; min-width: 200px; }
        .paid-box span { display: block; font-size: 12px; color: #5b6470; text-transform: uppercase; letter-spacing: .06em; }
        .paid-box strong { display: block; font-size: 28px; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .paid-box small { font-size: 15px; font-weight: 600; color: #5b6470; }
        .facts dl { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px 28px; margin: 22px 0 0; }
        .facts dl div { border-top: 1px solid #e3e6ea; padding-top: 6px; }
        .facts dt { font-size: 12px; color: #5b6470; text-transform: uppercase; letter-spacing: .05em; }
        .facts dd { margin: 2px 0 0; }
        .measure { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr) 90px; align-items: center; gap: 18px; padding: 8px 0; border-bottom: 1px solid #eef0f3; }
        .m-name strong { display: block; }
        .m-name span { font-variant-numeric: tabular-nums; }
        .bar { position: relative; height: 14px; background: #e8ecf1; border-radius: 7px; }
        .bar .quota { position: absolute; inset-inline-start: 0; top: 0; bottom: 0; width: 50%; }
        .bar .fill { height: 100%; max-width: 200%; background: #2f6fbf; border-radius: 7px; }
        .bar .mark { position: absolute; inset-inline-start: 50%; top: -4px; bottom: -4px; border-inline-start: 2px dashed #1b1f24; }
        .pct { text-align: end; font-weight: 600; font-variant-numeric: tabular-nums; }
        .scale { font-size: 12px; margin: 6px 0 0; }
        table { width: 100%; border-collapse: collapse; }
        th, td { text-align: start; vertical-align: top; padding: 7px 8px; }
        .lines thead th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6470; border-bottom: 1.5px solid #1b1f24; }
        .lines tbody td { border-bottom: 1px solid #e3e6ea; }
        .lines tr.adjustment td { background: #fbf6ec; }
        col.c-date { width: 100px; } col.c-item { width: 22%; } col.c-amt { width: 130px; }
        .date { white-space: nowrap; font-variant-numeric: tabular-nums; }
        .src { font-size: 12px; color: #5b6470; overflow-wrap: anywhere; }
        .num { text-align: end; white-space: nowrap; font-variant-numeric: tabular-nums; }
        th.num { text-align: end; }
        .neg { color: #a3261c; }
        .kind { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: #5b6470; }
        .no { font-size: 11px; color: #5b6470; white-space: nowrap; }
        .k-adjustment { color: #8a5a00; }
        .totals table { width: auto; min-width: 50%; margin-inline-start: auto; }
        .totals th { font-weight: 600; }
        .totals th span { display: block; font-weight: 400; font-size: 12px; }
        .totals td, .totals th { border-bottom: 1px solid #e3e6ea; }
        .totals tr.paid th, .totals tr.paid td { font-size: 18px; font-weight: 700; border-top: 2px solid #1b1f24; border-bottom: 3px double #1b1f24; }
        .bar.banded { margin-bottom: 18px; }
        .bar .edge { position: absolute; top: -3px; bottom: -3px; border-inline-start: 1.5px solid #8a5a00; }
        .bar .edge span { position: absolute; top: 19px; inset-inline-start: 0; transform: translateX(-50%); font-size: 10px; line-height: 1; color: #8a5a00; white-space: nowrap; }
        [dir="rtl"] .bar .edge span { transform: translateX(50%); }
        .run { font-size: 13px; color: #2b3440; margin-top: 3px; font-variant-numeric: tabular-nums; }
        .run .arrow { color: #5b6470; }
        .rule { font-size: 12.5px; margin-top: 3px; }
        .rule q { quotes: none; display: block; }
        .rule code { background: #eef3fa; }
        .exact { text-decoration: underline dotted #5b6470; text-underline-offset: 2px; }
        sup.fn { font-size: 9px; color: #5b6470; margin-inline-start: 1px; }
        .notes ol { list-style: none; padding: 0; margin: 0; font-size: 12px; color: #2b3440; }
        .notes li { margin: 2px 0; }
        .changes ul { margin: 0; padding-inline-start: 20px; }
        .changes li { margin: 3px 0; }
        .reports > .rule, .reports > .src { margin-bottom: 2px; }
        .reports details { border-block: 1px solid #e3e6ea; margin: 6px 0; }
        .reports summary { display: flex; gap: 12px; align-items: baseline; padding: 6px 10px; cursor: pointer; background: #f6f8fa; }
        .reports summary .who { flex: 1; font-weight: 600; }
        .reports summary .sub { font-variant-numeric: tabular-nums; font-weight: 600; }
        .reports table.ovr { table-layout: fixed; font-size: 13.5px; }
        col.o-date { width: 110px; } col.o-base { width: 150px; } col.o-rate { width: 90px; } col.o-amt { width: 150px; }
        .reports table.head { margin-top: 10px; }
        .reports table.head th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6470; border-bottom: 1.5px solid #1b1f24; padding: 4px 10px; }
        .reports td { border-top: 1px solid #eef0f3; padding: 4px 10px; overflow-wrap: anywhere; }
        .reports .grand th, .reports .grand td { font-weight: 700; border-top: 2px solid #1b1f24; padding: 8px 10px; }
        .exacts { font-size: 12px; color: #2b3440; margin: 6px 0 0; }
        .exacts bdi { white-space: nowrap; }
        small.id { color: #5b6470; font-size: .8em; }
        .end { break-inside: avoid; page-break-inside: avoid; }
        footer { margin-top: 28px; font-size: 12px; color: #5b6470; }
        @media print {
          body { background: #fff; font-size: 10pt; }
          .page { max-width: none; margin: 0; padding: 0; border: 0; }
          h2 { break-after: avoid; page-break-after: avoid; }
          tr, .measure, .totals, .facts { break-inside: avoid; page-break-inside: avoid; }
          thead { display: table-header-group; }
          h1 { font-size: 20pt; }
          h2 { font-size: 12pt; margin-top: 18px; }
          .paid-box strong { font-size: 20pt; }
          th, td { padding: 4px 6px; }
          .measure { padding: 5px 0; }
          .reports details::details-content { content-visibility: visible; display: block; }
          .reports summary { padding: 0 4px; list-style: none; font-size: 8pt; break-after: avoid; page-break-after: avoid; }
          .reports summary::-webkit-details-marker { display: none; }
          .reports table.ovr { font-size: 7pt; line-height: 1.1; }
          .reports td { padding: 0 4px; border-top-width: .5px; }
          .reports table.head th { font-size: 7pt; padding: 1px 4px; }
          .reports .grand th, .reports .grand td { font-size: 9pt; padding: 3px 4px; }
          .reports .run { display: none; }
          .reports > .rule, .reports > .src, .reports table.head { break-after: avoid; page-break-after: avoid; }
          .reports details { margin: 1px 0; break-inside: auto; }
          col.o-date { width: 62px; } col.o-base { width: 86px; } col.o-rate { width: 54px; } col.o-amt { width: 86px; }
          .exacts { font-size: 7pt; line-height: 1.25; }
          .notes ol { font-size: 7.5pt; }
          .notes li { display: inline-block; margin: 0; margin-inline-end: 12px; }
          .totals th span { display: inline; margin-inline-start: 8px; }
          .totals tr.paid th, .totals tr.paid td { font-size: 12pt; }
          footer { margin-top: 10px; font-size: 7.5pt; }
          .run, .rule, .src { font-size: 8pt; }
          .bar .edge span { font-size: 7pt; }
          col.c-date { width: 74px; } col.c-item { width: 25%; } col.c-amt { width: 92px; }
        }

        """
}
