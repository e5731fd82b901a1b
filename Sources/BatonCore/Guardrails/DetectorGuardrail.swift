/// A guardrail that looks for personal data and secrets with Baton's built-in detectors.
///
/// ```swift
/// let noPII = DetectorGuardrail("no_pii_out", detecting: [.email, .paymentCard, .iban], stages: [.output, .finalAnswer], action: .redact)
/// let noSecrets = DetectorGuardrail("no_secrets", detecting: GuardrailDetector.secrets)
/// ```
///
/// The detectors share four passes over the text, each linear in its length.
/// Pattern-based detection finds data written the ways the detectors know, and can miss data
/// written otherwise or flag look-alikes; `docs/guardrails.md` says exactly what each matches.
public struct DetectorGuardrail: Guardrail {
    /// The guardrail's name, unique in its set.
    public let name: String
    /// The detectors, each once, in the order given.
    public let detectors: [GuardrailDetector]
    /// The stages it checks.
    public let stages: Set<GuardrailStage>
    /// What the guardrail does with what it finds.
    public let action: GuardrailAction
    private let scanners: [TextScanner]

    /// A guardrail named `name` that looks for `detectors` at `stages` and does `action` with what it finds.
    public init(
        _ name: String, detecting detectors: [GuardrailDetector], stages: Set<GuardrailStage> = GuardrailStage.all, action: GuardrailAction = .deny
    ) {
        var unique: [GuardrailDetector] = []
        for detector in detectors where !unique.contains(detector) { unique.append(detector) }
        self.name = name
        self.detectors = unique
        self.stages = stages
        self.action = action
        self.scanners = Self.scanners(for: unique)
    }

    /// The verdict of ``findings(in:)``; never suspends.
    public func check(_ content: GuardrailContent, stage: GuardrailStage) async -> GuardrailVerdict {
        GuardrailVerdict(stage: stage, findings: findings(in: content))
    }

    /// What the detectors find in `content`, without suspending.
    public func findings(in content: GuardrailContent) -> [GuardrailFinding] {
        content.findings(guardrail: name, action: action) { bytes, matches in
            for scanner in scanners { scanner(bytes, &matches) }
        }
    }

    /// One pass for emails, one for the digit chains (phones, cards, social security numbers),
    /// one for the word formats (IBANs, national ids) and one for the secrets, each only when a
    /// detector needs it.
    private static func scanners(for detectors: [GuardrailDetector]) -> [TextScanner] {
        var scanners: [TextScanner] = []
        var digits: [DigitFormat] = []
        var words: [WordFormat] = []
        var secrets: Set<GuardrailDetector> = []
        for detector in detectors {
            switch detector {
            case .email: scanners.append(EmailScanner.scan)
            case .phone: digits.append(.phone)
            case .paymentCard: digits.append(.paymentCard)
            case .usSSN: digits.append(.usSSN)
            case .iban: words.append(.iban)
            case .ukNINO: words.append(.ukNINO)
            case .esDNI: words.append(.esDNI)
            case .itCodiceFiscale: words.append(.itCodiceFiscale)
            case .openAIKey, .anthropicKey, .awsAccessKeyID, .githubToken, .slackToken, .googleAPIKey, .stripeKey, .jwt, .privateKey, .bearerToken:
                secrets.insert(detector)
            }
        }
        if !digits.isEmpty { scanners.append { [digits] in DigitFormat.scan(digits, $0, into: &$1) } }
        if !words.isEmpty { scanners.append { [words] in WordFormat.scan(words, $0, into: &$1) } }
        if !secrets.isEmpty {
            let scanner = SecretScanner(enabled: secrets)
            scanners.append(scanner.scan)
        }
        return scanners
    }
}
