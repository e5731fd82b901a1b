/// A built-in detector of personal data or of a secret. Its raw value is the kind of what it
/// finds, and its name in YAML (`detect: [email, payment_card, secret.openai_key]`).
///
/// Every detector is a hand-written scanner over UTF-8 that takes time linear in the text's
/// length. What each one matches, and what it deliberately does not, is in `docs/guardrails.md`.
public enum GuardrailDetector: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `ada@example.com`, `first.last+tag@mail.example.co.uk`: an ASCII domain with a dot and a
    /// top-level domain of letters.
    case email
    /// `+44 20 7946 0958`, `(555) 123-4567`, `06 12 34 56 78`: international numbers, North
    /// American numbers, and national numbers with a trunk `0`, written with separators.
    case phone
    /// 13 to 19 digits with a known issuer prefix and length and a valid Luhn check digit.
    case paymentCard = "payment_card"
    /// A country's length and a valid mod-97 check, grouped by four or not.
    case iban
    /// A US Social Security number, `123-45-6789`, outside the ranges never issued.
    case usSSN = "national_id.us_ssn"
    /// A UK National Insurance number, `AB 12 34 56 C`, with the prefixes never issued excluded.
    case ukNINO = "national_id.uk_nino"
    /// A Spanish DNI or NIE, `12345678Z`, `X1234567L`, with its check letter.
    case esDNI = "national_id.es_dni"
    /// An Italian codice fiscale, `RSSMRA85T10A562S`, with its check letter.
    case itCodiceFiscale = "national_id.it_codice_fiscale"
    /// `sk-…` and `sk-proj-…` keys.
    case openAIKey = "secret.openai_key"
    /// `sk-ant-…` keys.
    case anthropicKey = "secret.anthropic_key"
    /// `AKIA…` and `ASIA…` access key ids.
    case awsAccessKeyID = "secret.aws_access_key_id"
    /// `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` and `github_pat_` tokens.
    case githubToken = "secret.github_token"
    /// `xoxa-`, `xoxb-`, `xoxp-`, `xoxr-` and `xoxs-` tokens.
    case slackToken = "secret.slack_token"
    /// `AIza…` keys.
    case googleAPIKey = "secret.google_api_key"
    /// `sk_live_…` and `rk_live_…` keys.
    case stripeKey = "secret.stripe_key"
    /// Three base64url parts whose first decodes to a JSON header with `alg`.
    case jwt = "secret.jwt"
    /// A PEM `-----BEGIN … PRIVATE KEY-----` block, to its end.
    case privateKey = "secret.private_key"
    /// The token after `Bearer ` (when it is no other kind of secret).
    case bearerToken = "secret.bearer_token"

    /// The national identity numbers.
    public static let nationalIDs: [GuardrailDetector] = [.usSSN, .ukNINO, .esDNI, .itCodiceFiscale]
    /// Personal data: email addresses, phone numbers, payment cards, IBANs, national ids.
    public static let pii: [GuardrailDetector] = [.email, .phone, .paymentCard, .iban] + nationalIDs
    /// Keys, tokens and private keys.
    public static let secrets: [GuardrailDetector] = allCases.filter { $0.rawValue.hasPrefix("secret.") }

    /// The names that stand for several detectors: `pii`, `national_id` and `secrets`.
    public static let groups: [String: [GuardrailDetector]] = ["pii": pii, "national_id": nationalIDs, "secrets": secrets]

    /// The detectors a name stands for: one detector's kind, or a group; `nil` for an unknown name.
    public static func named(_ name: String) -> [GuardrailDetector]? {
        GuardrailDetector(rawValue: name).map { [$0] } ?? groups[name]
    }

    /// Every name ``named(_:)`` knows, groups first.
    public static var names: [String] { groups.keys.sorted() + allCases.map(\.rawValue) }

    /// The kind, as YAML and findings spell it.
    public var description: String { rawValue }
}
