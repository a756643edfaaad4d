//! Field codecs for how Bitrix24 writes values: every value is text on the wire, JSON renderings
//! use numbers or strings, flags are `Y`/`N` or `1`/`0`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;

/// `Y`/`N`, `1`/`0`, `true`/`false` (any case) as a boolean.
pub(crate) fn parse_flag(s: &str) -> Option<bool> {
    match s.trim() {
        "Y" | "y" | "1" => Some(true),
        "N" | "n" | "0" | "" => Some(false),
        s if s.eq_ignore_ascii_case("true") => Some(true),
        s if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

struct NumberVisitor;

impl Visitor<'_> for NumberVisitor {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer (number or text)")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.trim().parse().map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a flag (Y/N, 1/0 or true/false)")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        match v {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(E::invalid_value(de::Unexpected::Signed(v), &self)),
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        parse_flag(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

struct TextVisitor;

impl Visitor<'_> for TextVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
}

/// Generates `deserialize`/`serialize` for a field type and its `Option`.
macro_rules! codec {
    ($name:ident, $opt:ident, $ty:ty, $visitor:expr, |$v:ident, $s:ident| $ser:expr) => {
        #[allow(dead_code)]
        pub(crate) mod $name {
            use super::*;
            /// This codec as a `DeserializeSeed`, for hand-written visitors (`next_value_seed`).
            pub(crate) struct Seed;
            impl<'de> serde::de::DeserializeSeed<'de> for Seed {
                type Value = $ty;
                fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<$ty, D::Error> {
                    deserialize(d)
                }
            }
            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                d.deserialize_any($visitor)
            }
            // serde's `with` hands the field by reference, whatever its type.
            #[allow(clippy::ptr_arg, clippy::trivially_copy_pass_by_ref)]
            pub(crate) fn serialize<S: Serializer>($v: &$ty, $s: S) -> Result<S::Ok, S::Error> {
                $ser
            }
        }
        #[allow(dead_code)]
        pub(crate) mod $opt {
            use super::*;
            /// This codec as a `DeserializeSeed`, for hand-written visitors (`next_value_seed`).
            pub(crate) struct Seed;
            impl<'de> serde::de::DeserializeSeed<'de> for Seed {
                type Value = Option<$ty>;
                fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<$ty>, D::Error> {
                    deserialize(d)
                }
            }
            struct OptVisitor;
            impl<'de> Visitor<'de> for OptVisitor {
                type Value = Option<$ty>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    Visitor::expecting(&$visitor, f)
                }
                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any($visitor).map(Some)
                }
            }
            pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                d.deserialize_option(OptVisitor)
            }
            #[allow(clippy::ref_option)]
            pub(crate) fn serialize<S: Serializer>(v: &Option<$ty>, s: S) -> Result<S::Ok, S::Error> {
                match v {
                    Some(v) => super::$name::serialize(v, s),
                    None => s.serialize_none(),
                }
            }
        }
    };
}

codec!(number, opt_number, u64, NumberVisitor, |v, s| s.serialize_u64(*v));
codec!(flag_yn, opt_flag_yn, bool, FlagVisitor, |v, s| s.serialize_str(if *v { "Y" } else { "N" }));
codec!(flag_10, opt_flag_10, bool, FlagVisitor, |v, s| s.serialize_u8(u8::from(*v)));
codec!(text, opt_text, String, TextVisitor, |v, s| s.serialize_str(v));
