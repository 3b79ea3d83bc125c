//! Literals in a dump: `Value::to_sql_literal`, shared with `--format insert`.
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
    v.to_sql_literal()
}

/// A REAL with 17 significant digits in sqlite3's dump layout (see the module docs).
pub fn real_literal(f: f64) -> String {
    crate::value::sql_real_literal(f)
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
