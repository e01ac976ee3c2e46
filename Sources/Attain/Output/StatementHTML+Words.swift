// A statement line in plain words: the English sentence what-if reports quote, and the sentence in any page language,
// with how each adjustment's, bonus's and settlement's figure was made.

extension StatementHTML {
    // MARK: English, plain

    /// One line in plain words, as text (not yet escaped), e.g.
    /// `Deal D2, 40000.00: 20000.00 at 2% (0% to 50%) + 20000.00 at 5% (50% to 100%) = 1400.00`.
    public static func describe(_ l: StatementLine) -> String {
        var subject = l.dealID.map { "Deal \($0)" } ?? l.activityID.map { "Activity \($0)" }
        if let deal = l.dealID, let role = l.role { subject = "Deal \(deal) (as \(role))" }
        if let deal = subject, let share = l.share {
            // On an override line the share is the report's, not the payee's.
            subject = l.creditedTo.map { "\(deal) (\($0)'s \(share) share)" } ?? "\(deal) (your \(share) share)"
        }
        if let deal = subject, let c = l.conversion { subject = "\(deal) (\(c.text))" }
        let amount = l.amount.text
        switch l.kind {
        case .commission:
            let base = l.base ?? ""
            var calc: String
            if l.tiers.count > 1 {
                calc = base + ": " + l.tiers.map { "\($0.base) at \($0.rate) (\($0.band))" }.joined(separator: " + ")
            } else if let rate = l.rate {
                if rate.contains(" per ") {
                    // A count-based rate such as "150.00 USD per deal": say how many, unless it is exactly one.
                    calc = base == "1" ? rate : "\(rate) × \(base)"
                } else {
                    calc = "\(base) at \(rate)"
                }
                if let tier = l.tier ?? l.tiers.first?.band { calc += " (\(tier))" }
            } else {
                calc = base
            }
            calc += " = \(amount)"
            return subject.map { "\($0), \(calc)" } ?? calc
        case .override:
            let who = l.share == nil ? (l.creditedTo.map { " credited to \($0)" } ?? "") : ""
            let calc = "\(l.base ?? "") at \(l.rate ?? "") = \(amount)"
            return subject.map { "\($0)\(who), \(calc)" } ?? calc
        case .spif:
            var calc = l.base.map { "\($0): " } ?? ""
            calc += l.rate.map { "pays \($0) = \(amount)" } ?? "pays \(amount)"
            return subject.map { "\($0), \(calc)" } ?? calc
        case .bonus:
            let why = l.reason ?? l.tier.map { "reached the step \($0)" } ?? "bonus"
            return subject.map { "\($0): \(why)" } ?? why
        case .adjustment, .clawback, .trueUp, .hold, .release:
            let why = l.reason ?? l.kind.rawValue
            return subject.map { "\($0): \(why)" } ?? why
        case .draw:
            var why = l.reason ?? "draw"
            if let b = l.balanceBefore, let a = l.balanceAfter { why += "; balance to recover \(b.text) before, \(a.text) after" }
            return why
        }
    }

    /// One line in plain words in `locale`, as plain text (right-to-left text isolated): the sentence a statement page
    /// shows in that language. Amounts are the line's own; bases are rounded to the currency.
    public static func describe(_ l: StatementLine, locale: ReportLocale, currency: Currency, context: PageContext = PageContext()) -> String {
        PageWords(locale: locale, currency: currency, context: context, html: false).sentence(l)
    }

    /// For a prior-period adjustment: how its "now" was made, one sentence per recomputed line, as plain text in
    /// `locale` (the lines a statement page shows under it).
    public static func describeNow(_ l: StatementLine, locale: ReportLocale, currency: Currency, context: PageContext = PageContext()) -> [String] {
        PageWords(locale: locale, currency: currency, context: context, html: false).recomputedNow(l)
    }
}

extension PageWords {
    /// The kind of a line, in words.
    func kindWord(_ kind: LineKind) -> String { w("statement.kind.\(kind.rawValue)") }

    /// The deal (or activity) a line is on, with the share and the conversion: "Deal S1 (your 60% share)".
    func subject(_ l: StatementLine) -> String? {
        var subject = l.dealID.map { w("statement.deal", bdi($0)) } ?? l.activityID.map { w("statement.activity", bdi($0)) }
        if let deal = l.dealID, let role = l.role { subject = w("statement.deal_role", bdi(deal), bdi(role)) }
        if let deal = subject, let share = l.share {
            subject = l.creditedTo.map { w("statement.share_of", deal, rep($0), pct(share)) } ?? w("statement.your_share", deal, pct(share))
        }
        if let deal = subject, let c = l.conversion {
            subject = w("statement.converted", deal, amountWithCode(c.original.text, c.original.currency.code),
                        num(c.rate.normalized.description), date(c.date))
        }
        return subject
    }

    /// An amount with a currency code that may not be the statement's (a deal's original currency), isolated.
    func amountWithCode(_ amount: String, _ currencyCode: String) -> String {
        html ? "<bdi>\(num(amount))&nbsp;\(e(currencyCode))</bdi>" : bdi(locale.number(amount) + nbsp + currencyCode)
    }

    /// A band as the engine names it (`50% to 100%`, `100% and above`, `50000.00 USD to 80000.00 USD`) in words.
    func band(_ text: String) -> String {
        func edge(_ t: Substring) -> String {
            let t = String(t)
            if t.hasSuffix("%") { return pct(t) }
            let parts = t.split(separator: " ")
            if parts.count == 2, parts[1].count == 3 { return amountWithCode(String(parts[0]), String(parts[1])) }
            if case .success = ExactDecimal.parse(t) { return num(t) }
            return bdi(t)
        }
        if text.hasSuffix(" and above") { return w("statement.band_above", edge(text.dropLast(" and above".count))) }
        if let r = text.firstRange(of: " to ") { return w("statement.band", edge(text[..<r.lowerBound]), edge(text[r.upperBound...])) }
        return bdi(text)
    }

    /// A rate: a percent (`2%`), or an amount per unit as the engine writes it (`150.00 USD per deal`).
    func rate(_ text: String) -> String {
        if let r = text.firstRange(of: " per ") {
            let amount = text[..<r.lowerBound].split(separator: " ")
            let unit = String(text[r.upperBound...])
            let unitWord = locale.catalog["statement.unit.\(unit)"].map { e($0) } ?? bdi(unit)
            if amount.count == 2 { return w("statement.per", amountWithCode(String(amount[0]), String(amount[1])), unitWord) }
            return w("statement.per", bdi(String(text[..<r.lowerBound])), unitWord)
        }
        return text.hasSuffix("%") ? pct(text) : bdi(text)
    }

    /// One line in words, in the page's language: the deal, how the amount was worked out, and (for an adjustment, a
    /// bonus or a settlement) the figures it was made from.
    func sentence(_ l: StatementLine) -> String {
        let subject = subject(l)
        let amount = num(l.amount.text)
        func with(_ calc: String) -> String { subject.map { w("statement.subject_calc", $0, calc) } ?? calc }
        switch l.kind {
        case .commission:
            let base = exact(l.base ?? "")
            var calc: String
            if l.tiers.count > 1 {
                calc = w("statement.portions", base, l.tiers.map { w("statement.portion", exact($0.base), rate($0.rate), band($0.band)) }.joined(separator: " + "))
            } else if let r = l.rate {
                if r.contains(" per ") {
                    calc = l.base == "1" ? rate(r) : "\(rate(r)) × \(num(l.base ?? ""))"
                } else {
                    calc = w("statement.at", base, rate(r))
                }
                if let tier = l.tier ?? l.tiers.first?.band { calc = w("statement.band_paren", calc, band(tier)) }
            } else {
                calc = base
            }
            return with(w("statement.equals", calc, amount))
        case .override:
            let who = l.share == nil ? (l.creditedTo.map { w("statement.credited_to", rep($0)) } ?? "") : ""
            let calc = w("statement.equals", w("statement.at", exact(l.base ?? ""), rate(l.rate ?? "")), amount)
            return subject.map { w("statement.subject_calc", $0 + who, calc) } ?? calc
        case .spif:
            // On a split deal a per-deal SPIF pays the payee's share of it: "pays 250.00 USD per deal × 50% = 125.00".
            var paid = l.rate.map { w("statement.pays", rate($0)) } ?? w("statement.pays", "")
            if let share = l.share, l.rate?.contains(" per ") == true { paid += " × \(pct(share))" }
            let pays = w("statement.equals", paid, amount)
            return with(l.base.map { w("statement.portions", exact($0), pays) } ?? pays)
        case .bonus:
            if let k = l.working, let t = k.threshold, let a = k.attainment { return with(w("statement.working.bonus", pct(t), pct(a))) }
            return with(fallback(l))
        case .adjustment, .clawback, .trueUp, .hold, .release:
            if let k = l.working, let text = working(k, l) { return with(text) }
            return with(fallback(l))
        case .draw:
            var why = locale == .english ? fallback(l) : drawWords(l)
            if let b = l.balanceBefore, let a = l.balanceAfter { why = w("statement.draw_balance", why, num(b.text), num(a.text)) }
            return why
        }
    }

    /// A draw line from its figures (the pay it tops up or recovers from is its base): the engine's reason is English.
    func drawWords(_ l: StatementLine) -> String {
        guard let base = l.base else { return fallback(l) }
        if l.amount.amount.signum > 0 { return w("statement.draw_topped_up", money(base), money(l.amount.text)) }
        if l.amount.amount.signum < 0 { return w("statement.draw_recovered", money(l.amount.negated().text), money(base)) }
        return w("statement.draw_covered", money(base))
    }

    /// How a prior-period adjustment's "now" was made: each recomputed line on its deal and component, in words
    /// ("now: Deal D3 (your 30% share), 6,000.00 at 10% = 600.00"). Empty without them.
    func recomputedNow(_ l: StatementLine) -> [String] {
        guard let k = l.working, k.rule == .recomputed else { return [] }
        return k.recomputedLines.map { w("statement.working.now", sentence($0)) }
    }

    /// The engine's own reason (in English, with plan text in backticks) when the line carries no working.
    func fallback(_ l: StatementLine) -> String {
        if l.kind == .bonus, locale != .english, let t = l.tier, t.hasPrefix("at ") { return w("statement.bonus_step", pct(String(t.dropFirst(3)))) }
        if let r = l.reason {
            return html ? (locale == .english ? StatementHTML.rich(r) : "<bdi lang=\"en\">\(StatementHTML.rich(r))</bdi>") : bdi(r)
        }
        if l.kind == .bonus, let t = l.tier, t.hasPrefix("at ") { return w("statement.bonus_step", pct(String(t.dropFirst(3)))) }
        return kindWord(l.kind)
    }

    /// How an adjustment's, a settlement's or a clawback's figure was made, from its working.
    func working(_ k: LineWorking, _ l: StatementLine) -> String? {
        let amount = num(l.amount.text)
        switch k.rule {
        case .cap:
            guard let limit = k.limit, let total = k.linesTotal else { return nil }
            if let p = k.limitPercent, let base = k.limitBase {
                return w("statement.working.cap_percent", pct(p), exact(base), exact(limit), exact(total), amount)
            }
            return w("statement.working.cap", exact(limit), exact(total), amount)
        case .gate:
            guard let total = k.linesTotal else { return nil }
            let condition = k.condition.map(planCode) ?? ""
            if let a = k.attainment, let t = k.threshold { return w("statement.working.gate_threshold", condition, pct(a), pct(t), exact(total), amount) }
            if let a = k.attainment { return w("statement.working.gate_attainment", condition, pct(a), exact(total), amount) }
            return w("statement.working.gate", condition, exact(total), amount)
        case .bonus:
            guard let t = k.threshold, let a = k.attainment else { return nil }
            return w("statement.working.bonus", pct(t), pct(a))
        case .recomputed:
            guard let was = k.was, let now = k.now else { return nil }
            return w("statement.working.recomputed", bdi(k.period ?? l.refPeriod ?? ""), exact(was), exact(now), amount)
        case .clawback:
            guard let was = k.was else { return nil }
            let when = k.date.map(date) ?? ""
            if let lapsed = k.lapsed { return w("statement.working.clawback_lapsed", when, exact(was), bdi(k.period ?? l.refPeriod ?? ""), amount, exact(lapsed)) }
            return w("statement.working.clawback", when, exact(was), bdi(k.period ?? l.refPeriod ?? ""), amount)
        case .collection:
            guard let collected = k.collected, let whole = k.dealAmount, let share = k.share, let now = k.now, let total = k.linesTotal, let was = k.was else { return nil }
            return w(l.kind == .release ? "statement.working.release_collection" : "statement.working.hold_collection",
                     exact(collected), exact(whole), k.date.map(date) ?? "", pct(share), exact(now), exact(total), exact(was), amount)
        case .handHold:
            guard let total = k.linesTotal else { return nil }
            if l.kind == .release { return w("statement.working.hand_release", exact(total), bdi(k.period ?? l.refPeriod ?? ""), amount) }
            return w("statement.working.hand_hold", bdi(k.condition ?? ""), exact(total), amount)
        }
    }
}
