//! A serde `Deserializer` over an owned [`Value`] tree: how form bodies reach the typed model.
//!
//! Strings are moved, not copied, into the target. Errors carry the key path in PHP bracket
//! notation, built while unwinding so that the happy path pays nothing for it.

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use crate::Error;
use crate::value::{Key, Value};

/// Deserializes a typed value from a tree, as decoded from a form body or JSON.
///
/// ```
/// use bitrix24_events::{form, from_value, AnyEvent};
/// let tree = form::decode(b"event=ONFOO&data[x]=1&ts=1&auth[domain]=d&auth[member_id]=m")?;
/// let event: AnyEvent = from_value(tree)?;
/// assert_eq!(event.code(), "ONFOO");
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
pub fn from_value<T: de::DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(ValueDeserializer(value))
}

/// Converts any serializable value into a tree, keeping field order (as PHP's
/// `json_decode(json_encode($x), true)` would).
pub fn to_value<T: serde::Serialize + ?Sized>(value: &T) -> Result<Value, Error> {
    let json = serde_json::to_vec(value).map_err(|e| Error::invalid(format!("cannot serialize: {e}")))?;
    serde_json::from_slice(&json).map_err(|e| Error::invalid(format!("cannot serialize: {e}")))
}

/// The deserializer itself (owned value).
pub(crate) struct ValueDeserializer(pub(crate) Value);

impl ValueDeserializer {
    fn unexpected(&self) -> de::Unexpected<'_> {
        match &self.0 {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Number(_) => de::Unexpected::Other("a number"),
            Value::String(_) => de::Unexpected::Str(""),
            Value::Array(_) => de::Unexpected::Map,
        }
    }

    fn invalid<T>(&self, exp: &dyn de::Expected) -> Result<T, Error> {
        Err(de::Error::invalid_type(self.unexpected(), exp))
    }
}

macro_rules! number_from_text {
    ($($method:ident => $visit:ident: $ty:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                Value::String(s) => match s.trim().parse::<$ty>() {
                    Ok(n) => visitor.$visit(n),
                    Err(_) => Err(Error::invalid(concat!("expected ", stringify!($ty), " as text"))),
                },
                other => ValueDeserializer(other).deserialize_any(visitor),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for ValueDeserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(s) => visitor.visit_string(s),
            Value::Array(a) => visitor.visit_map(ArrayAccess::new(a.into_entries())),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            // The envelope reads `event` first so that `data` is typed straight away.
            Value::Array(a) if name == crate::event::ENVELOPE => {
                visitor.visit_map(ArrayAccess::new(a.into_entries_with_first("event")))
            }
            other => ValueDeserializer(other).deserialize_any(visitor),
        }
    }

    number_from_text! {
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => match crate::wire::parse_flag(&s) {
                Some(b) => visitor.visit_bool(b),
                None => Err(Error::invalid("expected a flag (Y/N, 1/0, true/false)")),
            },
            other => ValueDeserializer(other).deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(ValueDeserializer(other)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => self.invalid(&visitor),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        if name == crate::value::VALUE_TOKEN {
            // A `Value` is asked for: hand the tree over as it is rather than rebuild it.
            crate::value::HANDOVER.set(Some(self.0));
            let result = visitor.visit_newtype_struct(Handover);
            crate::value::HANDOVER.set(None);
            return result;
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(a) => visitor.visit_seq(ListAccess { iter: a.into_iter(), index: 0 }),
            _ => self.invalid(&visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.into_deserializer()),
            Value::Array(a) if a.len() == 1 => {
                let (k, v) = a.into_iter().next().unwrap_or((Key::Int(0), Value::Null));
                visitor.visit_enum(EnumAccess { key: k, value: v })
            }
            _ => self.invalid(&visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        drop(self);
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        u128 i128 char str string bytes byte_buf map identifier
    }
}

/// What a `visit_newtype_struct` for [`crate::value::VALUE_TOKEN`] is given: `Value`'s own visitor
/// takes the handed-over tree without looking at it; any other visitor gets the tree deserialized.
struct Handover;

impl<'de> Deserializer<'de> for Handover {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        ValueDeserializer(crate::value::HANDOVER.take().unwrap_or(Value::Null)).deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// Map access over an array's entries; remembers the current key for error paths.
struct ArrayAccess {
    iter: std::vec::IntoIter<(Key, Value)>,
    current: Option<(Key, Value)>,
}

impl ArrayAccess {
    fn new(entries: Vec<(Key, Value)>) -> Self {
        ArrayAccess { iter: entries.into_iter(), current: None }
    }
}

impl<'de> MapAccess<'de> for ArrayAccess {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some(entry) = self.iter.next() else {
            return Ok(None);
        };
        let key = seed.deserialize(KeyDeserializer(&entry.0)).map_err(|e| e.within(&entry.0))?;
        self.current = Some(entry);
        Ok(Some(key))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (key, value) = self.current.take().ok_or_else(|| Error::invalid("value requested before key"))?;
        seed.deserialize(ValueDeserializer(value)).map_err(|e| e.within(&key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Sequence access over an array's values, in order (PHP lists are arrays with keys `0..n`).
struct ListAccess {
    iter: std::vec::IntoIter<(Key, Value)>,
    index: usize,
}

impl<'de> SeqAccess<'de> for ListAccess {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((key, value)) = self.iter.next() else {
            return Ok(None);
        };
        self.index += 1;
        seed.deserialize(ValueDeserializer(value)).map(Some).map_err(|e| e.within(&key))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// Deserializes a key: integer keys are integers to `deserialize_any` and text to string targets.
struct KeyDeserializer<'a>(&'a Key);

impl<'de> Deserializer<'de> for KeyDeserializer<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Key::Int(i) => visitor.visit_i64(*i),
            Key::Str(s) => visitor.visit_str(s),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Key::Int(i) => visitor.visit_string(i.to_string()),
            Key::Str(s) => visitor.visit_str(s),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(self.0.as_str().into_owned().into_deserializer())
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit unit_struct
        seq tuple tuple_struct map struct ignored_any
    }
}

struct EnumAccess {
    key: Key,
    value: Value,
}

impl<'de> de::EnumAccess<'de> for EnumAccess {
    type Error = Error;
    type Variant = VariantAccess;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, VariantAccess), Error> {
        let variant = seed.deserialize(KeyDeserializer(&self.key))?;
        Ok((variant, VariantAccess { key: self.key, value: self.value }))
    }
}

struct VariantAccess {
    key: Key,
    value: Value,
}

impl<'de> de::VariantAccess<'de> for VariantAccess {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Value::Null => Ok(()),
            Value::String(s) if s.is_empty() => Ok(()),
            _ => Err(Error::invalid("expected a unit variant").within(&self.key)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(ValueDeserializer(self.value)).map_err(|e| e.within(&self.key))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        ValueDeserializer(self.value).deserialize_seq(visitor).map_err(|e| e.within(&self.key))
    }

    fn struct_variant<V: Visitor<'de>>(self, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, Error> {
        ValueDeserializer(self.value).deserialize_any(visitor).map_err(|e| e.within(&self.key))
    }
}
