//! Number formatting shared by the text and HTML reports.

/// `1234567` → `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A measurement with precision fitting its size: `0.125`, `12.5`, `1,235`.
pub(crate) fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if a >= 1000.0 || (a.fract() == 0.0 && a < 1e15) {
        let whole = thousands(a.round() as u64);
        if x < 0.0 {
            format!("-{whole}")
        } else {
            whole
        }
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.3}")
    }
}
