import BatonCore
import Testing

/// Paths into arguments and results, and the redaction they apply.
@Suite struct RedactionPathTests {
    let payment: JSON = [
        "card": ["number": "4111 1111 1111 1111", "expiry": "12/30"],
        "items": [["sku": "a", "card": "x"], ["sku": "b", "card": "y"]],
        "headers": ["authorization": "Bearer abc", "cookie": "s=1"],
        "amount": 42,
    ]

    @Test func nestedFieldsAreReplaced() throws {
        let redacted = payment.redacting([try RedactionPath("card.number")])
        #expect(redacted["card"] == ["number": "[REDACTED]", "expiry": "12/30"])
        #expect(redacted["amount"] == 42)
    }

    @Test func wildcardsReachEveryElementAndMember() throws {
        let redacted = payment.redacting([try RedactionPath("items[*].card"), try RedactionPath("headers.*")])
        #expect(redacted["items"] == [["sku": "a", "card": "[REDACTED]"], ["sku": "b", "card": "[REDACTED]"]])
        #expect(redacted["headers"] == ["authorization": "[REDACTED]", "cookie": "[REDACTED]"])
    }

    @Test func indexesCountFromEitherEnd() throws {
        #expect(payment.redacting([try RedactionPath("items[0].sku")])["items"]?.arrayValue?[0]["sku"] == "[REDACTED]")
        #expect(payment.redacting([try RedactionPath("items[-1]")])["items"]?.arrayValue?[1] == "[REDACTED]")
    }

    @Test func pathsThatLeadNowhereChangeNothing() throws {
        for path in ["missing", "card.missing.deeper", "amount.x", "items[9].card", "card[0]", "items.sku"] {
            #expect(payment.redacting([try RedactionPath(path)]) == payment, "\(path)")
        }
        #expect(JSON.string("text").redacting([try RedactionPath("a")]) == "text")
    }

    @Test func aWholeSubtreeCanBeRedacted() throws {
        #expect(payment.redacting([try RedactionPath("card")])["card"] == RedactionPath.placeholder)
    }

    @Test(arguments: [
        ("", "the path is empty"), ("a..b", "a member name is empty"), (".a", "a member name is empty"), ("a.", "ends with '.'"),
        ("a[", "a '[' is not closed"), ("a[x]", "'[x]' is not an index"), ("[0]", "a path starts with a member name"),
        ("a[0]b", "a member must follow a '.'"), ("a]", "a ']' has no '['"),
        (Array(repeating: "a", count: 65).joined(separator: "."), "more than 64 steps"),
        (String(repeating: "a", count: 1_001), "at most 1000 are allowed"),
    ])
    func badPathsAreRefused(path: String, reason: String) {
        #expect {
            try RedactionPath(path)
        } throws: { error in
            guard case let .invalidFieldPath(refused, why)? = error as? PolicyError else { return false }
            return refused == path && why.contains(reason)
        }
    }
}
