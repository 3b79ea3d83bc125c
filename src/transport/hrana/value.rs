//! Hrana values on the wire: integers as decimal strings, blobs as base64, floats as JSON
//! numbers (infinities as `null`), and the conversions to and from the crate's [`Value`].

use base64::Engine;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::value::Value;

const B64: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
);

/// A value on the wire: integers as decimal strings, blobs as base64. Decoding is written
/// by hand (below): serde's derive for internally tagged enums buffers every value before
/// decoding it, which was half of the client's CPU time in a remote dump.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum WireValue {
    Null,
    Integer {
        #[serde(serialize_with = "ser_i64_str")]
        value: i64,
    },
    Float {
        /// JSON has no infinities; sqld writes them as `null`.
        value: Option<f64>,
    },
    Text {
        value: String,
    },
    Blob {
        base64: String,
    },
}

/// The `value` field of a wire value, whatever JSON type it arrived as.
enum Scalar {
    Null,
    Int(i64),
    Float(f64),
    Str(String),
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON scalar")
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar::Null)
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                i64::try_from(v)
                    .map(Scalar::Int)
                    .or(Ok(Scalar::Float(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Str(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a Hrana value object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireValue, A::Error> {
                let mut kind: Option<std::borrow::Cow<'de, str>> = None;
                let mut value = None;
                let mut base64 = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => kind = Some(map.next_value()?),
                        "value" => value = Some(map.next_value::<Scalar>()?),
                        "base64" => base64 = Some(map.next_value::<String>()?),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                let kind = kind.ok_or_else(|| A::Error::missing_field("type"))?;
                let missing = || A::Error::missing_field("value");
                Ok(match (kind.as_ref(), value) {
                    ("null", _) => WireValue::Null,
                    ("integer", Some(Scalar::Int(i))) => WireValue::Integer { value: i },
                    ("integer", Some(Scalar::Str(s))) => WireValue::Integer {
                        value: s.parse().map_err(A::Error::custom)?,
                    },
                    ("integer", _) => {
                        return Err(A::Error::custom("integer value must be a decimal string"))
                    }
                    ("float", Some(Scalar::Float(f))) => WireValue::Float { value: Some(f) },
                    ("float", Some(Scalar::Int(i))) => WireValue::Float {
                        value: Some(i as f64),
                    },
                    ("float", Some(Scalar::Null) | None) => WireValue::Float { value: None },
                    ("float", Some(Scalar::Str(_))) => {
                        return Err(A::Error::custom("float value must be a number"))
                    }
                    ("text", Some(Scalar::Str(s))) => WireValue::Text { value: s },
                    ("text", _) => return Err(missing()),
                    ("blob", _) => WireValue::Blob {
                        base64: base64.ok_or_else(|| A::Error::missing_field("base64"))?,
                    },
                    (other, _) => {
                        return Err(A::Error::unknown_variant(
                            other,
                            &["null", "integer", "float", "text", "blob"],
                        ))
                    }
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl From<&Value> for WireValue {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => WireValue::Null,
            Value::Integer(i) => WireValue::Integer { value: *i },
            Value::Real(f) => WireValue::Float {
                value: f.is_finite().then_some(*f),
            },
            Value::Text(s) => WireValue::Text { value: s.clone() },
            Value::Blob(b) => WireValue::Blob {
                base64: B64.encode(b),
            },
            // JSON text is UTF-8: the bytes that are not are replaced (sqld itself cannot
            // send such text at all).
            Value::RawText(b) => WireValue::Text {
                value: String::from_utf8_lossy(b).into_owned(),
            },
        }
    }
}

/// A crate value serialized in its wire form without first being copied into a
/// [`WireValue`] (no clone of the text, no intermediate allocation for an integer).
pub struct WireValueRef<'a>(pub &'a Value);

impl Serialize for WireValueRef<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let entries = if matches!(self.0, Value::Null) { 1 } else { 2 };
        let mut m = s.serialize_map(Some(entries))?;
        match self.0 {
            Value::Null => m.serialize_entry("type", "null")?,
            Value::Integer(i) => {
                m.serialize_entry("type", "integer")?;
                m.serialize_entry("value", itoa::Buffer::new().format(*i))?;
            }
            Value::Real(f) => {
                m.serialize_entry("type", "float")?;
                m.serialize_entry("value", &f.is_finite().then_some(*f))?;
            }
            Value::Text(t) => {
                m.serialize_entry("type", "text")?;
                m.serialize_entry("value", t)?;
            }
            Value::Blob(b) => {
                m.serialize_entry("type", "blob")?;
                m.serialize_entry("base64", &B64.encode(b))?;
            }
            Value::RawText(b) => {
                m.serialize_entry("type", "text")?;
                m.serialize_entry("value", &String::from_utf8_lossy(b))?;
            }
        }
        m.end()
    }
}

impl WireValue {
    pub fn into_value(self) -> Result<Value, String> {
        Ok(match self {
            WireValue::Null => Value::Null,
            WireValue::Integer { value } => Value::Integer(value),
            // The sign of an infinity is lost by the server's JSON encoder.
            WireValue::Float { value } => Value::Real(value.unwrap_or(f64::INFINITY)),
            WireValue::Text { value } => Value::Text(value),
            WireValue::Blob { base64 } => Value::Blob(
                B64.decode(base64.as_bytes())
                    .map_err(|e| format!("invalid base64 blob: {e}"))?,
            ),
        })
    }
}

fn ser_i64_str<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

pub(super) fn de_opt_i64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IntOrStr {
        Int(i64),
        Str(String),
    }
    match Option::<IntOrStr>::deserialize(d)? {
        None => Ok(None),
        Some(IntOrStr::Int(i)) => Ok(Some(i)),
        Some(IntOrStr::Str(s)) => s.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

pub(super) fn ser_opt_i64_str<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(i) => s.serialize_str(&i.to_string()),
        None => s.serialize_none(),
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_exactly() {
        for v in crate::render::testutil::tricky_row().1 {
            let json = serde_json::to_string(&WireValue::from(&v)).unwrap();
            let back: WireValue = serde_json::from_str(&json).unwrap();
            let back = back.into_value().unwrap();
            match (&v, &back) {
                (Value::Real(a), Value::Real(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{json}"),
                _ => assert_eq!(v, back, "{json}"),
            }
        }
        let j = serde_json::to_string(&WireValue::from(&Value::Integer(9007199254740993))).unwrap();
        assert_eq!(j, r#"{"type":"integer","value":"9007199254740993"}"#);
    }

    #[test]
    fn borrowed_serialization_matches_owned() {
        let mut vals = crate::render::testutil::tricky_row().1;
        vals.extend([
            Value::Real(f64::NEG_INFINITY),
            Value::Text("nul \u{0} inside".into()),
            Value::Blob(vec![]),
        ]);
        for v in vals {
            let owned = serde_json::to_string(&WireValue::from(&v)).unwrap();
            assert_eq!(serde_json::to_string(&WireValueRef(&v)).unwrap(), owned);
        }
        let j = serde_json::to_string(&WireValueRef(&Value::Integer(9007199254740993))).unwrap();
        assert_eq!(j, r#"{"type":"integer","value":"9007199254740993"}"#);
    }
}
