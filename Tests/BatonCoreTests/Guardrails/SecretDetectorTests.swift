import BatonCore
import Testing

/// The secret detectors on the formats issuers give their keys, and on look-alikes.
///
/// The keys are assembled here from a fixed alphabet, so that no string in this file is a key
/// that a secret scanner would (rightly) object to.
@Suite struct SecretDetectorTests {
    /// `count` characters of `alphabet`, mixed: letters of both cases and digits.
    static func fake(_ count: Int, from alphabet: String = "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xY") -> String {
        let characters = Array(alphabet)
        return String((0..<count).map { characters[($0 * 7 + $0 / characters.count) % characters.count] })
    }

    static let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"  // {"alg":"HS256","typ":"JWT"}
    static let jwt = header + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSJ9." + fake(43, from: "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c")

    static let cases: [(GuardrailDetector, String)] = [
        (.openAIKey, "sk-proj-" + fake(156)), (.openAIKey, "sk-" + fake(48)), (.openAIKey, "sk-svcacct-" + fake(64)),
        (.anthropicKey, "sk-ant-api03-" + fake(93) + "AA"), (.anthropicKey, "sk-ant-admin01-" + fake(40)),
        (.awsAccessKeyID, "AKIA" + "IOSFODNN7EXAMPLE"), (.awsAccessKeyID, "ASIA" + "Y34FZKBOKMUTVV7A"),
        (.githubToken, "ghp_" + fake(36)), (.githubToken, "gho_" + fake(36)), (.githubToken, "ghs_" + fake(36)),
        (.githubToken, "github_pat_11" + fake(20, from: "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") + "_" + fake(59)),
        (.slackToken, "xoxb-" + "123456789012-1234567890123-" + fake(24)), (.slackToken, "xoxp-" + "1234-5678-" + fake(12)),
        (.googleAPIKey, "AIza" + "SyA-" + fake(31)),
        (.stripeKey, "sk_live_" + fake(24)), (.stripeKey, "rk_live_" + fake(99)),
        (.jwt, jwt),
        (.privateKey, "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA" + fake(64) + "\n" + fake(64) + "==\n-----END RSA PRIVATE KEY-----"),
        (.privateKey, "-----BEGIN OPENSSH PRIVATE KEY-----\n" + fake(70) + "\n-----END OPENSSH PRIVATE KEY-----"),
        (.privateKey, "-----BEGIN ENCRYPTED PRIVATE KEY-----\\n" + fake(64) + "\\n-----END ENCRYPTED PRIVATE KEY-----"),
    ]

    @Test func everyFormatIsFoundWhole() {
        for (kind, secret) in Self.cases {
            for text in ["\(secret)", "key: \(secret)\n", "KEY=\"\(secret)\";", "{\"token\": \"\(secret)\"}"] {
                let guardrail = DetectorGuardrail("secrets", detecting: GuardrailDetector.secrets)
                let findings = guardrail.findings(in: .text(text))
                #expect(findings.map(\.kind) == [kind.rawValue], "\(kind) in \(text)")
                #expect(findings.first.flatMap { covered($0, in: text) } == secret, "\(kind) in \(text)")
            }
        }
    }

    @Test func eachDetectorFindsOnlyItsOwnKind() {
        for (kind, secret) in Self.cases {
            #expect(detected(secret, [kind]) == [secret], "\(kind)")
            let others = GuardrailDetector.secrets.filter { $0 != kind }
            #expect(detected(secret, others).isEmpty, "\(kind) found by another detector")
        }
    }

    @Test func bearerTokensAndWhatTheyHold() {
        let opaque = "8f14e45fceea167a5a36dedd4bea2543"
        #expect(detected("Authorization: Bearer \(opaque)", [.bearerToken]) == [opaque])
        #expect(detected("authorization: bearer  \(opaque)", [.bearerToken]) == [opaque])
        // A bearer JWT is reported as the JWT it is; without the JWT detector, as a bearer token.
        #expect(detectedKinds("Authorization: Bearer \(Self.jwt)", GuardrailDetector.secrets) == ["secret.jwt"])
        #expect(detected("Authorization: Bearer \(Self.jwt)", [.bearerToken]) == [Self.jwt])
        #expect(detected("Bearer tokens are short-lived", [.bearerToken]).isEmpty)
        #expect(detected("bearer of bad news and-a-long-hyphenated-word", [.bearerToken]).isEmpty)
        #expect(detected(String(repeating: "Bearer ", count: 10_000) + opaque, [.bearerToken]) == [opaque])
    }

    @Test(arguments: [
        "sk-learn-the-basics-of-machine-learning", "sk-abc123", "task-" + "Ab3dEfGh1jKlMnOpQrStUvWx", "ask-" + "Ab3dEfGh1jKlMnOpQrStUvWx",
        "sk-ant-short1", "AKIA1234", "AKIA" + "IOSFODNN7EXAMPL", "AKIA" + "IOSFODNN7EXAMPLE1", "akia" + "iosfodnn7example",
        "xAKIA" + "IOSFODNN7EXAMPLE", "ghp_short", "ghx_" + "aB3dE5fG7hJ9kL2mN4pQ6rS8tU0vW1xYaB3d", "xoxb-abc", "xoxb-" + "abcdefghijklmnop",
        "AIza" + "SyA-123", "sk_test_" + "4eC39HqLyjWDarjtT1zdp7dc", "pk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
        "eyJhbGciOiJIUzI1NiJ9", "eyJub3RhbGciOjF9.e30.c2ln", "eyJ0eXAiOiJKV1QifQ.e30.c2ln", "eyJhbGciOiJIUzI1NiJ9..c2ln",
        "-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "123e4567-e89b-12d3-a456-426614174000", "9fceb02d0ae598e95dc970b74767f19372d61af8", "sha256:" + String(repeating: "ab12", count: 16),
        "dGhpcyBpcyBqdXN0IGJhc2U2NCB0ZXh0IG9mIHNvbWUgbGVuZ3Ro",
    ])
    func lookAlikesAreNotSecrets(_ text: String) {
        #expect(detectedKinds(text, GuardrailDetector.secrets).isEmpty, "\(text)")
    }

    @Test func aPrivateKeyInJSONTextIsFoundAfterAnEscapedLineBreak() {
        let key = "-----BEGIN RSA PRIVATE KEY-----\\n" + Self.fake(64) + "\\n-----END RSA PRIVATE KEY-----"
        #expect(detected("{\"note\": \"first line\\n\(key)\"}", [.privateKey]) == [key])
    }

    @Test func aPrivateKeyWithoutItsEndLineStillCoversItsBody() {
        let body = "MIIEpAIBAAKCAQEA" + Self.fake(64)
        let text = "-----BEGIN EC PRIVATE KEY-----\n\(body)\nand then some prose."
        let findings = DetectorGuardrail("s", detecting: [.privateKey]).findings(in: .text(text))
        #expect(findings.count == 1)
        #expect(findings.first.flatMap { covered($0, in: text) }?.contains(body) == true)
        #expect(findings.first?.excerpt.hasPrefix("-----BEGIN EC PRIVATE KEY-----") == true)
        #expect(findings.first?.excerpt.contains(body.prefix(8)) == false)
    }
}
