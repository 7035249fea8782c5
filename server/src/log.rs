//! The request log: one line per request (time, operation, status,
//! latency) on stderr, at or above the chosen level.

use std::io::Write;

/// How much the server logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Every request, with its request id and body size.
    Debug,
    /// One line per request (the default).
    Info,
    /// Only client errors (4xx) and what goes wrong inside.
    Warn,
    /// Only what goes wrong inside the server (5xx).
    Error,
    /// Nothing.
    Off,
}

impl LogLevel {
    /// Reads `debug`, `info`, `warn`, `error`, `off` (any case).
    pub fn parse(s: &str) -> Option<LogLevel> {
        Some(match s.to_ascii_lowercase().as_str() {
            "debug" | "trace" => LogLevel::Debug,
            "info" => LogLevel::Info,
            "warn" | "warning" => LogLevel::Warn,
            "error" => LogLevel::Error,
            "off" | "none" => LogLevel::Off,
            _ => return None,
        })
    }

    /// The level a request's line has: by its status.
    pub fn of_status(status: u16) -> LogLevel {
        match status {
            500.. => LogLevel::Error,
            400.. => LogLevel::Warn,
            _ => LogLevel::Info,
        }
    }
}

/// Writes one request's line if `level` lets it through.
pub fn request(
    level: LogLevel,
    op: &str,
    status: u16,
    kind: Option<&str>,
    micros: u128,
    bytes: usize,
) {
    let line_level = LogLevel::of_status(status);
    if line_level < level {
        return;
    }
    let tag = match line_level {
        LogLevel::Error => "ERROR",
        LogLevel::Warn => "WARN",
        _ => "INFO",
    };
    let kind = kind.map_or(String::new(), |k| format!(" {k}"));
    let size = if level == LogLevel::Debug {
        format!(" {bytes}B")
    } else {
        String::new()
    };
    let ms = micros as f64 / 1000.0;
    let _ = writeln!(
        std::io::stderr().lock(),
        "{} {tag} {op} {status}{kind} {ms:.3}ms{size}",
        timestamp(stampede::now_ms())
    );
}

/// Writes a line about the server itself (start, stop).
pub fn event(level: LogLevel, text: &str) {
    if level <= LogLevel::Warn {
        let _ = writeln!(
            std::io::stderr().lock(),
            "{} INFO {text}",
            timestamp(stampede::now_ms())
        );
    }
}

/// `2026-12-02T00:00:00.123Z` for milliseconds since the epoch (UTC).
pub fn timestamp(ms: i64) -> String {
    let (days, rem) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(timestamp(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
        assert_eq!(timestamp(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn levels_filter_by_status() {
        assert_eq!(LogLevel::parse("WARN"), Some(LogLevel::Warn));
        assert_eq!(LogLevel::parse("loud"), None);
        assert_eq!(LogLevel::of_status(200), LogLevel::Info);
        assert_eq!(LogLevel::of_status(400), LogLevel::Warn);
        assert_eq!(LogLevel::of_status(500), LogLevel::Error);
    }
}
