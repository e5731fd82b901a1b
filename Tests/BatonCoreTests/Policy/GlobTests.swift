import BatonCore
import Testing

/// Name patterns: plain names, `*`, `?`, sets, escapes, and the patterns refused.
@Suite struct GlobTests {
    @Test(arguments: [
        ("refund", "refund", true), ("refund", "refunds", false), ("refund", "Refund", false),
        ("*", "", true), ("*", "anything at all", true),
        ("refund_*", "refund_card", true), ("refund_*", "refund_", true), ("refund_*", "refund", false),
        ("*.internal", "db.internal", true), ("*.internal", "internal", false),
        ("db.delete_?", "db.delete_x", true), ("db.delete_?", "db.delete_", false), ("db.delete_?", "db.delete_xy", false),
        ("a*b*c", "abc", true), ("a*b*c", "aXbYc", true), ("a*b*c", "aXbY", false), ("*a*", "bab", true),
        ("[a-c]*", "banana", true), ("[a-c]*", "dates", false), ("[!a-c]*", "dates", true), ("[^a-c]*", "apple", false),
        ("v[12]", "v1", true), ("v[12]", "v3", false), ("[\\]]x", "]x", true),
        ("a\\*b", "a*b", true), ("a\\*b", "aXb", false), ("\\?", "?", true),
        ("é*", "été", true), ("?", "é", true), ("??", "é", false),
    ])
    func matching(pattern: String, name: String, expected: Bool) throws {
        #expect(try Glob(pattern).matches(name) == expected, "\(pattern) ~ \(name)")
    }

    @Test func plainNamesAreLiterals() throws {
        #expect(try Glob("refund").literal == "refund")
        #expect(try Glob("a\\*b").literal == "a*b")
        #expect(try Glob("refund_*").literal == nil)
        #expect(Glob.any.matches("x"))
    }

    @Test(arguments: [
        ("", "the pattern is empty"),
        ("refund_[", "a '[' is not closed"),
        ("[]", "'[]' is an empty set"),
        ("[z-a]", "the range 'z-a' runs backwards; write 'a-z'"),
        ("refund\\", "it ends with '\\'"),
        ("tab\there", "the control character U+9"),
        ("bad\u{FFFD}bytes", "U+FFFD, the stand-in for bytes that were not UTF-8"),
        (String(repeating: "a", count: 257), "at most 256 are allowed"),
    ])
    func badPatternsAreRefusedWithAReason(pattern: String, reason: String) {
        #expect {
            try Glob(pattern)
        } throws: { error in
            guard case let .invalidGlob(refused, why)? = error as? PolicyError else { return false }
            return refused == pattern && why.contains(reason)
        }
    }

    @Test func hostileNamesAndPatternsStayFast() throws {
        let pattern = try Glob(String(repeating: "*a", count: 100) + "b")
        let name = String(repeating: "a", count: 100_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(!pattern.matches(name)) }
        #expect(elapsed < .seconds(30))
        #expect(try Glob("*").matches(name))
    }
}
