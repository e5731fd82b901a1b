@testable import BatonModels
import Foundation
import NIOHTTP1
import Testing

/// Secrets are cut out of any text quoted from an answer; `Retry-After` is read in all its forms.
@Suite struct SecretRedactorTests {
    @Test func theKeyAndKeyShapedTextsAreRedacted() {
        let redactor = SecretRedactor(secrets: ["my-own-key-1234"])
        let text = #"key my-own-key-1234, sk-proj-abcDEF123456789 and sk-ant-api03-XYZxyz987654, "Authorization: Bearer eyJhbGciOi.abc-def" x-api-key: abcdef123456"#
        let redacted = redactor.redact(text)
        for secret in ["my-own-key-1234", "sk-proj-abcDEF123456789", "sk-ant-api03-XYZxyz987654", "eyJhbGciOi.abc-def", "abcdef123456"] {
            #expect(!redacted.contains(secret), "\(secret) survived: \(redacted)")
        }
        #expect(redacted.contains("[redacted]"))
        #expect(redactor.redact("nothing secret here") == "nothing secret here")
    }

    @Test func anExcerptIsShortOneLineAndCutAfterRedacting() {
        let key = "sk-live-" + String(repeating: "k", count: 40)
        let redactor = SecretRedactor(secrets: [key])
        let excerpt = redactor.excerpt(String(repeating: "x", count: 230) + "\n" + key + String(repeating: "y", count: 500))
        #expect(excerpt.count <= 241)
        #expect(!excerpt.contains("\n"))
        #expect(!excerpt.contains("kkkk"))
    }

    @Test func retryAfterIsReadInSecondsMillisecondsOrAsADate() throws {
        let now = try #require(RetryAfter.httpDate("Wed, 21 Oct 2015 07:28:00 GMT"))
        #expect(RetryAfter.duration(in: HTTPHeaders([("Retry-After", "120")]), now: now) == .seconds(120))
        #expect(RetryAfter.duration(in: HTTPHeaders([("Retry-After", "1.5")]), now: now) == .milliseconds(1500))
        #expect(RetryAfter.duration(in: HTTPHeaders([("retry-after-ms", "250"), ("Retry-After", "1")]), now: now) == .milliseconds(250))
        #expect(RetryAfter.duration(in: HTTPHeaders([("Retry-After", "Wed, 21 Oct 2015 07:28:42 GMT")]), now: now) == .seconds(42))
        #expect(RetryAfter.duration(in: HTTPHeaders([("Retry-After", "Wednesday, 21-Oct-15 07:29:00 GMT")]), now: now) == .seconds(60))
        #expect(RetryAfter.duration(in: HTTPHeaders([("Retry-After", "Tue, 20 Oct 2015 07:28:00 GMT")]), now: now) == .zero)
        #expect(RetryAfter.duration(in: HTTPHeaders([("Retry-After", "soon")]), now: now) == nil)
        #expect(RetryAfter.duration(in: HTTPHeaders(), now: now) == nil)
    }
}
