// The languages pages are written in: tags, catalogs with the same keys, numbers and dates from exact text.
import Testing
@testable import Attain

@Suite struct LocaleTests {
    @Test func tagsAreReadAsBCP47() {
        #expect(ReportLocale.parse("en") == .english)
        #expect(ReportLocale.parse("en-US") == .english)
        #expect(ReportLocale.parse(" zh-Hans ") == .simplifiedChinese)
        #expect(ReportLocale.parse("zh_CN") == .simplifiedChinese)
        #expect(ReportLocale.parse("zh-Hans-HK") == .simplifiedChinese)
        #expect(ReportLocale.parse("FA-ir") == .persian)
        #expect(ReportLocale.parse("zh-Hant") == nil)
        #expect(ReportLocale.parse("zh-TW") == nil)
        #expect(ReportLocale.parse("de") == nil)
        #expect(ReportLocale.parse("en-") == nil)
        #expect(ReportLocale.parse("") == nil)
        #expect(ReportLocale.persian.direction == "rtl")
        #expect(ReportLocale.simplifiedChinese.direction == "ltr")
    }

    @Test func everyCatalogHasEveryKeyWithTheSamePlaceholders() {
        let english = Catalog.english
        #expect(!english.isEmpty)
        for locale in ReportLocale.all {
            let catalog = locale.catalog
            let missing = Set(english.keys).subtracting(catalog.keys).sorted()
            let extra = Set(catalog.keys).subtracting(english.keys).sorted()
            #expect(missing.isEmpty, "\(locale) lacks \(missing)")
            #expect(extra.isEmpty, "\(locale) has keys English lacks: \(extra)")
            for (key, template) in catalog where english[key] != nil {
                #expect(Catalog.placeholders(template) == Catalog.placeholders(english[key]!), "\(locale) \(key)")
                #expect(!template.isEmpty, "\(locale) \(key) is empty")
            }
        }
    }

    @Test func numbersKeepEveryDigit() {
        #expect(ReportLocale.english.number("1234567.805") == "1,234,567.805")
        #expect(ReportLocale.english.number("-1234.50") == "-1,234.50")
        #expect(ReportLocale.english.number("999") == "999")
        #expect(ReportLocale.english.number("0.5") == "0.5")
        #expect(ReportLocale.simplifiedChinese.number("16000.00") == "16,000.00")
        #expect(ReportLocale.persian.number("1234.56") == "۱٬۲۳۴٫۵۶")
        #expect(ReportLocale.persian.number("-6819.06") == "\u{200E}\u{2212}۶٬۸۱۹٫۰۶")
        #expect(ReportLocale.persian.number("2026", grouping: false) == "۲۰۲۶")
        #expect(ReportLocale.persian.percent("120%") == "۱۲۰٪")
        #expect(ReportLocale.english.percent("33.3333%") == "33.3333%")
        #expect(ReportLocale.english.number("D-12") == "D-12")
        #expect(ReportLocale.persian.number("n/a") == "n/a")
        #expect(ReportLocale.persian.money("250000.00", Currency(code: "IRR")!) == "۲۵۰٬۰۰۰٫۰۰\u{00A0}IRR")
    }

    @Test func amountsAreRoundedForShowingOnly() {
        #expect(ReportLocale.rounded("348492.013", scale: 2) == "348492.01")
        #expect(ReportLocale.rounded("822.580645", scale: 2) == "822.58")
        #expect(ReportLocale.rounded("0.125", scale: 2) == "0.13")
        #expect(ReportLocale.rounded("200000.00", scale: 2) == "200000.00")
        #expect(ReportLocale.rounded("7", scale: 0) == "7")
        #expect(ReportLocale.rounded("1.5", scale: 0) == "2")
    }

    @Test func datesInEachLanguage() {
        let d = CivilDate(year: 2026, month: 3, day: 5)!
        #expect(ReportLocale.english.longDate(d) == "5 March 2026")
        #expect(ReportLocale.simplifiedChinese.longDate(d) == "2026年3月5日")
        #expect(ReportLocale.persian.longDate(d) == "۵ مارس ۲۰۲۶")
        #expect(ReportLocale.english.shortDate(d) == "2026-03-05")
        #expect(ReportLocale.simplifiedChinese.shortDate(d) == "2026/3/5")
        #expect(ReportLocale.persian.shortDate(d) == "۲۰۲۶/۳/۵")
    }

    @Test func templatesAreFilledInOrder() {
        #expect(Catalog.fill("{1} of {0}", ["a", "b"]) == "b of a")
        #expect(Catalog.fill("{0}% and {x}", ["5"]) == "5% and {x}")
        #expect(Catalog.placeholders("{1} of {0} {0}") == [0, 1])
        #expect(ReportLocale.persian.text("statement.payee_id", "A-1") == "شناسهٔ دریافت‌کننده A-1")
        #expect(ReportLocale.english.text("no.such.key") == "no.such.key")
    }

    @Test func planLinesAreQuotedByTrace() {
        let plan = SourceFile(path: "p.plan", text: "plan \"A #1\" version \"1\"\n\n  tier from 0% to 50% rate 2%   # low band\n")
        let texts = PageContext.ruleTexts(of: plan)
        #expect(texts["p.plan:1"] == "plan \"A #1\" version \"1\"")
        #expect(texts["p.plan:2"] == nil)
        #expect(texts["p.plan:3"] == "tier from 0% to 50% rate 2%")
    }
}
