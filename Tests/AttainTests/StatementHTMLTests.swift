// The HTML statement: plain-words lines with the brief's numbers, escaping, and nothing fetched or run.
import Testing
@testable import Attain

@Suite struct StatementHTMLTests {
    let quota = assignments([("A", "100000.00")])

    @Test func marginalLinesInPlainWords() throws {
        let s = try statements(plan: header + tiers, deals: briefDeals, assignments: quota)[0]
        let html = StatementHTML.render(s)
        #expect(html.contains("Deal <bdi>D1</bdi>, 30,000.00 at 2% (0% to 50%) = 600.00"))
        #expect(html.contains("Deal <bdi>D2</bdi>, 40,000.00: 20,000.00 at 2% (0% to 50%) + 20,000.00 at 5% (50% to 100%) = 1,400.00"))
        #expect(html.contains("Deal <bdi>D3</bdi>, 50,000.00: 30,000.00 at 5% (50% to 100%) + 20,000.00 at 8% (100% and above) = 3,100.00"))
        // D1 lies in one band and comes from its `tier` line; D2 spans two and comes from the `tiers` line.
        // Each line says where the measure stood before and after it, and which bands it fell in.
        #expect(html.contains("= 600.00<div class=\"run\"><bdi>bookings</bdi> 0.00 → 30,000.00 · attainment 0.00% → 30.00% · band 0% to 50%</div>"))
        #expect(html.contains("= 1,400.00<div class=\"run\"><bdi>bookings</bdi> 30,000.00 → 70,000.00 · attainment 30.00% → 70.00% · bands 0% to 50%, 50% to 100%</div>"))
        #expect(html.contains("<div class=\"src\">plan rule <bdi class=\"trace\">p.plan:10</bdi></div></td><td class=\"num\">600.00</td>"))
        #expect(html.contains("<div class=\"src\">plan rule <bdi class=\"trace\">p.plan:9</bdi>, <bdi class=\"trace\">p.plan:10</bdi>, <bdi class=\"trace\">p.plan:11</bdi></div></td><td class=\"num\">1,400.00</td>"))
        #expect(html.contains("<td class=\"num\">1,400.00</td>"))
        #expect(html.contains("style=\"width: 120.00%\""))
        #expect(html.contains("<div class=\"pct\">120.00%</div>"))
        #expect(html.contains("120,000.00 of 100,000.00 quota"))
        #expect(html.contains("<bdi>2026-Q1</bdi>: 1 January 2026 to 31 March 2026"))
        #expect(html.contains("<bdi>P</bdi>, version <bdi>1</bdi>"))
        #expect(html.contains("<bdi>10,000.00&nbsp;USD</bdi>")) // target incentive
    }

    @Test func retroactiveLineNamesItsBand() throws {
        let plan = header + tiers.replacingOccurrences("marginal", "retroactive")
        let html = StatementHTML.render(try statements(plan: plan, deals: briefDeals, assignments: quota)[0])
        #expect(html.contains("Deal <bdi>D1</bdi>, 30,000.00 at 8% (100% and above) = 2,400.00"))
    }

    @Test func capAdjustmentAndTotals() throws {
        let s = try statements(plan: header + tiers + "  cap 4000.00 USD per period\n", deals: briefDeals, assignments: quota)[0]
        let html = StatementHTML.render(s)
        #expect(html.contains("cap: 4,000.00; lines total 5,100.00; -1,100.00"))
        #expect(html.contains("<td class=\"num neg\">-1,100.00</td>"))
        #expect(html.contains("Earned<span class=\"muted\">commissions, bonuses and SPIFs</span></th><td class=\"num\"><bdi>5,100.00&nbsp;USD</bdi></td>"))
        #expect(html.contains("Adjustments<span class=\"muted\">caps, gates and other corrections</span></th><td class=\"num neg\"><bdi>-1,100.00&nbsp;USD</bdi></td>"))
        #expect(html.contains("Paid<span class=\"muted\">earned plus adjustments</span></th><td class=\"num\"><bdi>4,000.00&nbsp;USD</bdi></td>"))
        #expect(html.contains("<strong><bdi>4,000.00 <small>USD</small></bdi></strong>"))
    }

    @Test func splitBonusSpifAndGateInPlainWords() throws {
        let plan = header + """
            measure bookings = sum of deal.amount
              quota from assignment
            commission "C" on bookings
              rate 10%
              gate attainment >= 90%
            bonus "Club" on bookings
              at 50% pay 500.00 USD
            spif "Widget"
              where deal.product = "Widget"
              pay 250.00 USD per deal

            """
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\nS1,A,2026-02-01,100000.00,USD,Widget,new,60\nS1,B,2026-02-01,100000.00,USD,Widget,new,40\n"
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))
        let html = StatementHTML.render(s[0])
        #expect(html.contains("Deal <bdi>S1</bdi> (your 60% share), 60,000.00 at 10% = 6,000.00"))
        #expect(html.contains("step 50% met at attainment 60.00%"))
        #expect(html.contains("Deal <bdi>S1</bdi> (your 60% share), 60,000.00: pays <bdi>250.00&nbsp;USD</bdi> per deal × 60% = 150.00"))
        // Backticked plan text in a reason is shown as code, escaped.
        #expect(html.contains("gate not met: <bdi><code>bookings.attainment &gt;= 90%</code></bdi>; attainment 60.00%, below 90%; lines total 6,000.00; -6,000.00"))
        #expect(s[0].paid.text == "650.00")
    }

    @Test func countRateSaysHowMany() throws {
        let plan = header + "measure logos = count of deals\ncommission \"Logos\" on logos\n  rate 100.00 USD per deal\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\nS1,A,2026-02-01,100.00,USD,G,new,50\nS1,B,2026-02-01,100.00,USD,G,new,50\nS2,A,2026-02-02,100.00,USD,G,new,\n"
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "1.00"), ("B", "1.00")]))
        let html = StatementHTML.render(s[0])
        #expect(html.contains("Deal <bdi>S1</bdi> (your 50% share), <bdi>100.00&nbsp;USD</bdi> per deal × 0.5 = 50.00"))
        #expect(html.contains("Deal <bdi>S2</bdi>, <bdi>100.00&nbsp;USD</bdi> per deal = 100.00"))
    }

    @Test func prorationIsExplained() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,Rep A,,2026-02-15,\n"
        let html = StatementHTML.render(try statements(plan: header + tiers, deals: briefDeals, assignments: quota, roster: roster)[0])
        #expect(html.contains("You were active 45 of the period’s 90 days, so your quota and target incentive are prorated."))
    }

    @Test func hostileTextIsEscapedAndNothingIsFetchedOrRun() throws {
        let roster = "rep_id,name,manager_id,hire_date,end_date\nA,\"<script>alert('x')</script> & \"\"Co\"\"\",,2025-01-01,\n"
        let plan = header.replacingOccurrences("\"P\"", "\"P<img src=x>\"") + tiers.replacingOccurrences("\"C\"", "\"<b>C</b>\"")
        let s = try statements(plan: plan, deals: briefDeals, assignments: assignments([("A", "100000.00")], plan: "P<img src=x>"), roster: roster)[0]
        let html = StatementHTML.render(s)
        #expect(html.contains("<h1>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;</h1>"))
        #expect(html.contains("<bdi>P&lt;img src=x&gt;</bdi>, version <bdi>1</bdi>"))
        #expect(html.contains("&lt;b&gt;C&lt;/b&gt;"))
        let lower = html.lowercased()
        for banned in ["<script", "http://", "https://", "src=", "url(", "@import", "<link", "<img", "<iframe", "javascript:"] {
            #expect(!lower.replacingOccurrences("&lt;img src=x&gt;", "").contains(banned), "found \(banned)")
        }
    }

    @Test func escapeCoversAllFiveCharacters() {
        #expect(StatementHTML.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(StatementHTML.rich("x `a<b` y `z") == "x <code>a&lt;b</code> y `z")
    }

    @Test func bidiOverridesInNamesAreShownNotObeyed() {
        // U+202E would turn "Bob enots Stone" into "Bob stone Stone" on the page; isolates (which `<bdi>` stands for)
        // and marks are kept.
        #expect(StatementHTML.escape("Bob \u{202E}enots\u{202C} Stone") == "Bob \\u{202E}enots\\u{202C} Stone")
        #expect(StatementHTML.escape("\u{202A}\u{202B}\u{202D}") == "\\u{202A}\\u{202B}\\u{202D}")
        #expect(StatementHTML.escape("\u{2068}ق-۲\u{2069}\u{200E}") == "\u{2068}ق-۲\u{2069}\u{200E}")
    }

    @Test func aSplitSpifSaysItPaysTheShare() throws {
        let plan = header + "spif \"Widget\"\n  where deal.product = \"Widget\"\n  pay 250.00 USD per deal\n"
        let deals = "deal_id,rep_id,close_date,amount,currency,product,type,split\nS1,A,2026-02-01,100000.00,USD,Widget,new,50\nS1,B,2026-02-01,100000.00,USD,Widget,new,50\n"
        let s = try statements(plan: plan, deals: deals, assignments: assignments([("A", "100000.00"), ("B", "100000.00")]))
        let html = StatementHTML.render(s[0])
        #expect(html.contains("pays <bdi>250.00&nbsp;USD</bdi> per deal × 50% = 125.00"))
        let zh = StatementHTML.render(s[0], context: PageContext(defaultLocale: .simplifiedChinese))
        #expect(zh.contains("支付 <bdi>250.00&nbsp;USD</bdi>/笔 × 50% = 125.00"))
    }

    @Test(arguments: [("120.00%", "120.00"), ("250.00%", "200"), ("-5.00%", "0"), ("0.00%", "0.00"), ("n/a", "0")])
    func barWidthIsCappedAt200(_ attainment: String, _ width: String) {
        #expect(StatementHTML.barWidth(attainment) == width)
    }

    @Test func aPageIsPrintableAndSelfContained() throws {
        let html = StatementHTML.render(try statements(plan: header + tiers, deals: briefDeals, assignments: quota)[0])
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("@page"))
        #expect(html.contains("@media print"))
        #expect(html.hasSuffix("</html>\n"))
    }
}
