@testable import BatonSpec
import Testing

/// The small parsers and scanners behind the loader.
@Suite struct InternalsTests {
    @Test func durationSyntax() {
        #expect(DurationSyntax.parse("250ms") == .milliseconds(250))
        #expect(DurationSyntax.parse("1h30m15s") == .seconds(5415))
        #expect(DurationSyntax.parse("0.5m") == .seconds(30))
        #expect(DurationSyntax.parse(".5s") == .milliseconds(500))
        #expect(DurationSyntax.parse("1.123456789s") == .microseconds(1_123_456))
        for bad in ["", "5", "s", "5x", "5 s", "-5s", "1..5s", "5sms", "99999999999999h", String(repeating: "1h", count: 40)] {
            #expect(DurationSyntax.parse(bad) == nil, "\(bad)")
        }
        #expect(DurationSyntax.seconds(2.5) == .milliseconds(2500))
        #expect(DurationSyntax.seconds(-1) == nil)
        #expect(DurationSyntax.seconds(.infinity) == nil)
    }

    @Test func aliasScan() {
        #expect(YAMLSource.aliasPosition(in: "a: &x 1\nb: *x\n") == Position(line: 2, column: 4))
        #expect(YAMLSource.aliasPosition(in: "a: [&x 1, *x]\n") == Position(line: 1, column: 11))
        #expect(YAMLSource.aliasPosition(in: "a: &x 1\n") == nil)
        #expect(YAMLSource.aliasPosition(in: "a: *x\n") == nil)
        #expect(YAMLSource.aliasPosition(in: "a: b&c d*e\nf: 2 * 3 & 4\n") == nil)
    }

    @Test func displayNames() {
        #expect(SourceFiles.display("child.yaml", besides: "flows/main.yaml") == "flows/child.yaml")
        #expect(SourceFiles.display("./sub/child.yaml", besides: "flows/main.yaml") == "flows/sub/child.yaml")
        #expect(SourceFiles.display("child.yaml", besides: "main.yaml") == "child.yaml")
        #expect(SourceFiles.display("/abs/child.yaml", besides: "flows/main.yaml") == "/abs/child.yaml")
        #expect(SourceFiles.display("child.yaml", besides: "<input>") == "child.yaml")
    }

    @Test func suggestions() {
        #expect(Suggestions.closest(to: "retires", among: ["retry", "timeout"]) == "retry")
        #expect(Suggestions.closest(to: "bb", among: ["a", "b"]) == "b")
        #expect(Suggestions.closest(to: "xyz", among: ["abc"]) == nil)
        #expect(Suggestions.list(["a", "b", "c"]) == "a, b or c")
    }

    @Test func invalidUTF8Position() {
        #expect(SourceFiles.invalidUTF8Position(Array("ab\ncd".utf8) + [0xFF]) == Position(line: 2, column: 3))
    }
}
