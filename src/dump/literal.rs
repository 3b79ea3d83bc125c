//! Literals in a dump. Everything but REAL is `Value::to_sql_literal` (sqlite3's forms).
//!
//! REAL values get 17 significant digits (trailing zeros dropped), not the shortest digits
//! that round-trip: SQLite's own text-to-REAL conversion is not correctly rounded, and
//! measured on random doubles it reads back a different double for ~1 in 5,000 shortest
//! literals (3.46, the bundled engine) and ~1 in 10,000 in everyday ranges (3.40, the
//! sqlite3 CLI here), but never for 17-digit ones in those ranges. (sqlite3 3.40 itself
//! writes 20 digits computed in `long double`, e.g. `0.10000000000000000555`.) Short exact
//! values stay short: `0.5`, `123.456`, `1.0e+22`. The layout is sqlite3's `%!.20g`:
//! positional from 1e-4 up to 1e20, `d.ddde±XX` outside, `.0` kept on a bare mantissa.

use crate::value::Value;

/// The literal for one value in an INSERT of the dump.
pub fn literal(v: &Value) -> String {
    match v {
        Value::Real(f) => real_literal(*f),
        other => other.to_sql_literal(),
    }
}

/// A REAL with 17 significant digits in sqlite3's dump layout (see the module docs).
/// Infinities, zeros (with their sign) and integral values in the i64 range are written as
/// `to_sql_literal` writes them (`1e999`, `-0.0`, `1000000000000000.0`).
pub fn real_literal(f: f64) -> String {
    let two_63 = -(i64::MIN as f64);
    if !f.is_finite() || f == 0.0 || (f.fract() == 0.0 && (-two_63..two_63).contains(&f)) {
        return Value::Real(f).to_sql_literal();
    }
    let sci = format!("{f:.16e}");
    let (mantissa, exp) = sci.split_once('e').expect("{:e} always has an exponent");
    let exp: i32 = exp.parse().expect("exponent is an integer");
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let digits = digits.trim_end_matches('0');
    let mut out = String::with_capacity(32);
    if neg {
        out.push('-');
    }
    if !(-4..=19).contains(&exp) {
        out.push_str(&digits[..1]);
        out.push('.');
        out.push_str(if digits.len() > 1 { &digits[1..] } else { "0" });
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if exp < 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
        out.push_str(digits);
    } else {
        let int_len = exp as usize + 1;
        if digits.len() <= int_len {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', int_len - digits.len()));
            out.push_str(".0");
        } else {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_with_17_digits_in_sqlite3_layout() {
        let cases = [
            (0.5, "0.5"),
            (-2.5, "-2.5"),
            (1.0, "1.0"),
            (1e15, "1000000000000000.0"),
            (1e19, "10000000000000000000.0"),
            (-0.0, "-0.0"),
            (f64::INFINITY, "1e999"),
            (f64::NEG_INFINITY, "-1e999"),
            (0.1, "0.10000000000000001"),
            (123.456, "123.456"),
            (0.30000000000000004, "0.30000000000000004"),
            (1e300, "1.0000000000000001e+300"),
            (1e22, "1.0e+22"),
            (1.5e20, "1.5e+20"),
            (1e-7, "9.9999999999999995e-08"),
            (0.0001, "0.0001"),
            (0.00012, "0.00012"),
            (5e-324, "4.9406564584124654e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (2f64.powi(63), "9223372036854775800.0"),
            (-(2f64.powi(63)), "-9223372036854775808.0"),
            (-1.5e-300, "-1.5000000000000001e-300"),
            (1234.5678, "1234.5678"),
        ];
        for (f, want) in cases {
            let got = real_literal(f);
            assert_eq!(got, want, "real_literal({f:e})");
            if f.is_finite() {
                let back: f64 = got.parse().unwrap();
                assert_eq!(back.to_bits(), f.to_bits(), "{got} must parse back");
            }
        }
        assert_eq!(literal(&Value::Text("x".into())), "'x'");
        assert_eq!(literal(&Value::Real(0.25)), "0.25");
    }
}
