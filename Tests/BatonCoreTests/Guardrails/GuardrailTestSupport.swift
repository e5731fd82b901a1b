import BatonCore

/// What `detectors` find in `text`: the text each finding covers, in order.
func detected(_ text: String, _ detectors: [GuardrailDetector]) -> [String] {
    let bytes = Array(text.utf8)
    return DetectorGuardrail("test", detecting: detectors).findings(in: .text(text)).compactMap { finding in
        finding.range.map { String(decoding: bytes[$0], as: UTF8.self) }
    }
}

/// The kinds `detectors` find in `text`, in order.
func detectedKinds(_ text: String, _ detectors: [GuardrailDetector] = GuardrailDetector.allCases) -> [String] {
    DetectorGuardrail("test", detecting: detectors).findings(in: .text(text)).map(\.kind)
}

/// The text that `finding` covers in `text`.
func covered(_ finding: GuardrailFinding, in text: String) -> String? {
    finding.range.map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
}
