//! Human formatting of times, durations and sizes for tables and status lines.

use jiff::tz::TimeZone;
use jiff::Timestamp;

/// Milliseconds since the epoch as local time (`2026-11-23 10:40:01 UTC`), `-` when unset.
pub fn local_time(ms: i64) -> String {
    if ms <= 0 {
        return "-".into();
    }
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts
            .to_zoned(TimeZone::system())
            .strftime("%Y-%m-%d %H:%M:%S %Z")
            .to_string(),
        Err(_) => ms.to_string(),
    }
}

/// How long ago `ms` was: `12s ago`, `5m ago`, `3h ago`, `2d ago`; `-` when unset.
pub fn age(ms: i64, now_ms: i64) -> String {
    if ms <= 0 {
        return "-".into();
    }
    let secs = (now_ms - ms).max(0) / 1000;
    match secs {
        s if s < 60 => format!("{s}s ago"),
        s if s < 3600 => format!("{}m ago", s / 60),
        s if s < 86_400 => format!("{}h ago", s / 3600),
        s => format!("{}d ago", s / 86_400),
    }
}

/// A duration for people: `850ms`, `4.2s`, `3m 04s`, `2h 05m`.
pub fn duration_ms(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1000 {
        return format!("{ms}ms");
    }
    if ms < 60_000 {
        return format!("{:.1}s", ms as f64 / 1000.0);
    }
    let secs = ms / 1000;
    if secs < 3600 {
        return format!("{}m {:02}s", secs / 60, secs % 60);
    }
    format!("{}h {:02}m", secs / 3600, (secs % 3600) / 60)
}

/// A byte count for people: `512 B`, `4.0 KiB`, `1.5 GiB`.
pub fn size(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes() {
        assert_eq!(duration_ms(850), "850ms");
        assert_eq!(duration_ms(4200), "4.2s");
        assert_eq!(duration_ms(184_000), "3m 04s");
        assert_eq!(duration_ms(7_500_000), "2h 05m");
        assert_eq!(size(512), "512 B");
        assert_eq!(size(1536), "1.5 KiB");
        assert_eq!(size(1 << 30), "1.0 GiB");
        assert_eq!(age(1_000, 61_000), "1m ago");
        assert_eq!(local_time(0), "-");
    }
}
