//! Resident memory of this process, from `/proc/self/status` (Linux).

/// Bytes in one MiB.
pub const MIB: f64 = 1024.0 * 1024.0;

/// Resident set now and its peak (high-water mark), in bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rss {
    /// `VmRSS`.
    pub now: u64,
    /// `VmHWM`.
    pub peak: u64,
}

/// Reads `VmRSS` and `VmHWM`; zeros where `/proc` is not available.
pub fn read() -> Rss {
    std::fs::read_to_string("/proc/self/status").map_or_else(|_| Rss::default(), |s| parse(&s))
}

/// Parses the text of `/proc/<pid>/status`.
pub fn parse(status: &str) -> Rss {
    let mut rss = Rss::default();
    for line in status.lines() {
        if let Some(v) = line.strip_prefix("VmRSS:") {
            rss.now = kib(v);
        } else if let Some(v) = line.strip_prefix("VmHWM:") {
            rss.peak = kib(v);
        }
    }
    rss
}

/// `"   1234 kB"` → bytes.
fn kib(v: &str) -> u64 {
    let n = v.trim().trim_end_matches("kB").trim();
    n.parse::<u64>().unwrap_or(0) * 1024
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_status() {
        let s = "Name:\tx\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\n";
        assert_eq!(
            parse(s),
            Rss {
                now: 1024 * 1024,
                peak: 2048 * 1024
            }
        );
    }

    #[test]
    fn reads_self() {
        if cfg!(target_os = "linux") {
            let r = read();
            assert!(r.now > 0 && r.peak >= r.now);
        }
    }
}
