import Foundation
import NIOHTTP1

/// How long a provider asked to wait before the next request: `retry-after-ms` (milliseconds, as
/// OpenAI sends), or `Retry-After` in seconds or as an HTTP date (RFC 9110).
enum RetryAfter {
    /// The wait `headers` ask for, measured from `now` for a date; `nil` when they say nothing
    /// readable. A date in the past is no wait.
    static func duration(in headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let text = headers.first(name: "retry-after-ms"), let milliseconds = Double(text.trimmingCharacters(in: .whitespaces)), milliseconds >= 0 {
            return .milliseconds(Int64(milliseconds.rounded(.up)))
        }
        guard let text = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds >= 0, seconds.isFinite {
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        guard let date = httpDate(text) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now) * 1000).rounded(.up)))
    }

    /// Parses the preferred HTTP date format, `Sun, 06 Nov 1994 08:49:37 GMT`, and the obsolete
    /// RFC 850 and asctime forms that RFC 9110 still asks recipients to accept.
    static func httpDate(_ text: String) -> Date? {
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
