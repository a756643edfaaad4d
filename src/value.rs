//! The generic tree: a PHP value, with PHP's ordered arrays.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A decoded value, as PHP holds it after `parse_str` or `json_decode($body, true)`.
///
/// Form bodies only ever produce [`Value::String`] and [`Value::Array`]; JSON bodies may also hold
/// null, booleans and numbers. JSON lists become arrays with integer keys `0..n`, exactly as in PHP.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// JSON `null`.
    Null,
    /// JSON `true` / `false`.
    Bool(bool),
    /// A JSON number, kept exactly as parsed.
    Number(serde_json::Number),
    /// A string (every form leaf is one).
    String(String),
    /// A PHP array: an ordered map with integer and string keys.
    Array(Array),
}

/// A key of a PHP array: an integer or a string.
///
/// Like PHP, a string that looks like a canonical 64-bit integer (`"5"`, `"-1"`, not `"05"`, `"-0"`
/// or `"+1"`) is always stored as [`Key::Int`]; see [`Key::from_php`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// An integer key.
    Int(i64),
    /// A string key. The names Bitrix24 uses (`auth`, `member_id`, `statusCode`, ...) are borrowed
    /// from a static table rather than allocated.
    Str(Cow<'static, str>),
}

/// The key names of Bitrix24's envelope, `auth` block and known event data.
fn well_known(s: &str) -> Option<&'static str> {
    Some(match s {
        "event" => "event",
        "event_handler_id" => "event_handler_id",
        "data" => "data",
        "ts" => "ts",
        "auth" => "auth",
        "access_token" => "access_token",
        "expires" => "expires",
        "expires_in" => "expires_in",
        "scope" => "scope",
        "domain" => "domain",
        "server_endpoint" => "server_endpoint",
        "status" => "status",
        "client_endpoint" => "client_endpoint",
        "member_id" => "member_id",
        "user_id" => "user_id",
        "refresh_token" => "refresh_token",
        "application_token" => "application_token",
        "client_id" => "client_id",
        "memberUid" => "memberUid",
        "documentUid" => "documentUid",
        "companyUid" => "companyUid",
        "statusCode" => "statusCode",
        "statusName" => "statusName",
        "id" => "id",
        "company" => "company",
        "FIELDS" => "FIELDS",
        "ID" => "ID",
        "VERSION" => "VERSION",
        "PREVIOUS_VERSION" => "PREVIOUS_VERSION",
        "ACTIVE" => "ACTIVE",
        "INSTALLED" => "INSTALLED",
        "LANGUAGE_ID" => "LANGUAGE_ID",
        "CLEAN" => "CLEAN",
        _ => return None,
    })
}

fn str_key(s: &str) -> Cow<'static, str> {
    match well_known(s) {
        Some(name) => Cow::Borrowed(name),
        None => Cow::Owned(s.to_owned()),
    }
}

impl Key {
    /// Builds a key the way PHP normalizes an array key given as a string.
    pub fn from_php(s: &str) -> Key {
        match php_int_key(s.as_bytes()) {
            Some(i) => Key::Int(i),
            None => Key::Str(str_key(s)),
        }
    }

    /// The key as a string (`Int(5)` is `"5"`).
    pub fn as_str(&self) -> Cow<'_, str> {
        match self {
            Key::Int(i) => Cow::Owned(i.to_string()),
            Key::Str(s) => Cow::Borrowed(s),
        }
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(i) => write!(f, "{i}"),
            Key::Str(s) => f.write_str(s),
        }
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Self {
        Key::from_php(s)
    }
}

impl From<i64> for Key {
    fn from(i: i64) -> Self {
        Key::Int(i)
    }
}

/// PHP's `ZEND_HANDLE_NUMERIC_STR`: is this string an integer key?
pub(crate) fn php_int_key(s: &[u8]) -> Option<i64> {
    if !matches!(s.first(), Some(b'0'..=b'9' | b'-')) {
        return None;
    }
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    match digits {
        [] => None,
        [b'0'] if digits.len() == s.len() => Some(0),
        [b'0', ..] => None,
        _ if digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) => None,
        // At most 19 ASCII digits: parse cannot fail on syntax, only on range.
        _ => std::str::from_utf8(s).ok()?.parse::<i64>().ok(),
    }
}

/// Arrays at least this long get a hash index; shorter ones are searched linearly, which is faster
/// for the handful of keys a real event has at each level.
const INDEX_FROM: usize = 12;

/// Positions of the keys of a long array, by kind, so that lookups by `&str` need no allocation.
#[derive(Clone, Default)]
struct Index {
    ints: HashMap<i64, usize>,
    strs: HashMap<Cow<'static, str>, usize>,
}

impl Index {
    fn add(&mut self, key: &Key, at: usize) {
        match key {
            Key::Int(i) => self.ints.insert(*i, at),
            Key::Str(s) => self.strs.insert(s.clone(), at),
        };
    }
}

/// A PHP array: an ordered map from [`Key`] to [`Value`] that keeps insertion order.
///
/// Writing an existing key replaces the value in place (its position does not change), and
/// [`Array::push`] appends at PHP's next free integer key: the largest integer key so far plus one,
/// or 0.
#[derive(Clone, Default)]
pub struct Array {
    entries: Vec<(Key, Value)>,
    /// PHP's `nNextFreeElement`: `None` until an integer key is inserted.
    next_free: Option<i64>,
    /// Position of each key, built once the array is long enough to need it.
    index: Option<Box<Index>>,
}

impl Array {
    /// An empty array.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty array with room for `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Array { entries: Vec::with_capacity(capacity), next_free: None, index: None }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the array is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Position of a key.
    fn position(&self, key: &Key) -> Option<usize> {
        match key {
            Key::Int(i) => self.position_int(*i),
            Key::Str(s) => self.position_plain_str(s),
        }
    }

    fn position_int(&self, key: i64) -> Option<usize> {
        match &self.index {
            Some(index) => index.ints.get(&key).copied(),
            None => self.entries.iter().position(|(k, _)| *k == Key::Int(key)),
        }
    }

    /// Position of a string key that is known not to be integer-like.
    fn position_plain_str(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.strs.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| matches!(k, Key::Str(s) if s == key)),
        }
    }

    /// Position of a string key, normalized as PHP does, without building a [`Key`].
    fn position_str(&self, key: &str) -> Option<usize> {
        match php_int_key(key.as_bytes()) {
            Some(i) => self.position_int(i),
            None => self.position_plain_str(key),
        }
    }

    /// The value at `key` (a string key is normalized as PHP does: `get("5")` finds `Key::Int(5)`).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.position_str(key).map(|i| &self.entries[i].1)
    }

    /// The value at `key`, mutably.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.position_str(key).map(|i| &mut self.entries[i].1)
    }

    /// The value at an exact key.
    pub fn get_key(&self, key: &Key) -> Option<&Value> {
        self.position(key).map(|i| &self.entries[i].1)
    }

    fn note_key(&mut self, key: &Key) {
        if let Key::Int(i) = *key {
            let next = i.saturating_add(1);
            if self.next_free.is_none_or(|n| i >= n) {
                self.next_free = Some(next);
            }
        }
    }

    fn append_entry(&mut self, key: Key, value: Value) -> usize {
        self.note_key(&key);
        let at = self.entries.len();
        if let Some(index) = &mut self.index {
            index.add(&key, at);
        } else if at + 1 >= INDEX_FROM {
            let mut index = Box::<Index>::default();
            for (i, (k, _)) in self.entries.iter().enumerate() {
                index.add(k, i);
            }
            index.add(&key, at);
            self.index = Some(index);
        }
        self.entries.push((key, value));
        at
    }

    /// Sets `key` to `value`: replaces in place when the key exists, appends otherwise.
    /// Returns the previous value.
    pub fn insert(&mut self, key: impl Into<Key>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.position(&key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.append_entry(key, value);
                None
            }
        }
    }

    /// Appends at the next free integer key (PHP `$a[] = $v`). Returns the key used, or `None`
    /// when PHP would refuse the append (the next key would overflow an `i64` and is taken).
    pub fn push(&mut self, value: Value) -> Option<i64> {
        let key = self.next_free.unwrap_or(0);
        if self.position(&Key::Int(key)).is_some() {
            return None;
        }
        self.append_entry(Key::Int(key), value);
        Some(key)
    }

    /// The slot for `key` (normalized as PHP does), created as `Value::Null` at the end when absent.
    pub(crate) fn slot_str(&mut self, key: &str) -> &mut Value {
        let i = match self.position_str(key) {
            Some(i) => i,
            None => self.append_entry(Key::from_php(key), Value::Null),
        };
        &mut self.entries[i].1
    }

    /// The slot for a `[]` append, or `None` when PHP would drop it.
    pub(crate) fn push_slot(&mut self) -> Option<&mut Value> {
        let key = self.push(Value::Null)?;
        let i = self.position(&Key::Int(key))?;
        Some(&mut self.entries[i].1)
    }

    pub(crate) fn into_entries(self) -> Vec<(Key, Value)> {
        self.entries
    }

    /// The entries, with `key` (if present) moved to the front; the others keep their order.
    pub(crate) fn into_entries_with_first(self, key: &str) -> Vec<(Key, Value)> {
        let at = self.position_str(key);
        let mut entries = self.entries;
        if let Some(at) = at {
            entries[..=at].rotate_right(1);
        }
        entries
    }

    /// Iterates over the entries in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&Key, &Value)> + '_ {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &Key> + '_ {
        self.entries.iter().map(|(k, _)| k)
    }

    /// Removes and returns the value at `key` (string keys normalized as in [`Array::get`]).
    /// Later entries keep their order.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.position_str(key)?;
        let (_, v) = self.entries.remove(i);
        if self.index.is_some() {
            self.index = None;
            let entries = std::mem::take(&mut self.entries);
            let next_free = self.next_free;
            for (k, v) in entries {
                self.append_entry(k, v);
            }
            self.next_free = next_free;
        }
        Some(v)
    }
}

impl IntoIterator for Array {
    type Item = (Key, Value);
    type IntoIter = std::vec::IntoIter<(Key, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Array {
    type Item = (&'a Key, &'a Value);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (Key, Value)>, fn(&'a (Key, Value)) -> (&'a Key, &'a Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Into<Key>> FromIterator<(K, Value)> for Array {
    fn from_iter<T: IntoIterator<Item = (K, Value)>>(iter: T) -> Self {
        let mut a = Array::new();
        for (k, v) in iter {
            a.insert(k, v);
        }
        a
    }
}

/// Equality is order-sensitive, as PHP's `===` on arrays.
impl PartialEq for Array {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl fmt::Debug for Array {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries.iter().map(|(k, v)| (k, v))).finish()
    }
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The array, if this is one.
    pub fn as_array(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// Follows a path of string keys (`value.pointer(&["data", "FIELDS", "ID"])`).
    pub fn pointer(&self, path: &[&str]) -> Option<&Value> {
        path.iter().try_fold(self, |v, k| v.as_array()?.get(k))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<Array> for Value {
    fn from(a: Array) -> Self {
        Value::Array(a)
    }
}

/// Serializes as PHP's `json_encode($value, JSON_FORCE_OBJECT)` does: every array is an object
/// with string keys in insertion order.
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(v) => s.serialize_str(v),
            Value::Array(a) => a.serialize(s),
        }
    }
}

impl Serialize for Array {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            match k {
                Key::Int(i) => m.serialize_entry(&i.to_string(), v)?,
                Key::Str(k) => m.serialize_entry(k, v)?,
            }
        }
        m.end()
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Key::Int(i) => s.collect_str(i),
            Key::Str(k) => s.serialize_str(k),
        }
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key::from_php(v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
                Ok(match php_int_key(v.as_bytes()) {
                    Some(i) => Key::Int(i),
                    None => Key::Str(Cow::Owned(v)),
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(i64::try_from(v).map_or_else(|_| Key::Str(Cow::Owned(v.to_string())), Key::Int))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

/// Deserializes any self-describing input the way PHP's `json_decode($x, true)` does: objects and
/// lists become ordered arrays (numeric string keys become integer keys; a repeated key keeps its
/// first position and its last value).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Asks for itself by a private name: the tree deserializer then hands its value over as it
        // is (see `HANDOVER`); any other deserializer treats it as a plain newtype.
        d.deserialize_newtype_struct(VALUE_TOKEN, ValueVisitor)
    }
}

/// The newtype name under which [`Value`]'s `Deserialize` asks for a value.
pub(crate) const VALUE_TOKEN: &str = "$bitrix24_events::Value";

thread_local! {
    /// A tree being deserialized into a [`Value`] is moved through here instead of being taken
    /// apart and rebuilt: the tree deserializer puts it here and calls `visit_newtype_struct`,
    /// which takes it at once; the deserializer clears it again before returning.
    pub(crate) static HANDOVER: std::cell::Cell<Option<Value>> = const { std::cell::Cell::new(None) };
}

impl<'de> Deserialize<'de> for Array {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Array(a) => Ok(a),
            _ => Err(de::Error::custom("expected an array")),
        }
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        match HANDOVER.take() {
            Some(value) => Ok(value),
            None => d.deserialize_any(ValueVisitor),
        }
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("a number that is not finite"))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut a = Array::new();
        while let Some(v) = seq.next_element()? {
            a.push(v);
        }
        Ok(Value::Array(a))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut a = Array::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some((k, v)) = map.next_entry::<Key, Value>()? {
            a.insert(k, v);
        }
        Ok(Value::Array(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_keys_follow_php() {
        for (s, want) in [
            ("0", Some(0)),
            ("15", Some(15)),
            ("-1", Some(-1)),
            ("-0", None),
            ("01", None),
            ("+1", None),
            (" 1", None),
            ("1.5", None),
            ("", None),
            ("-", None),
            ("9223372036854775807", Some(i64::MAX)),
            ("9223372036854775808", None),
            ("-9223372036854775808", Some(i64::MIN)),
            ("-9223372036854775809", None),
            ("99999999999999999999", None),
        ] {
            assert_eq!(php_int_key(s.as_bytes()), want, "{s:?}");
        }
    }

    #[test]
    fn push_follows_largest_int_key() {
        let mut a = Array::new();
        assert_eq!(a.push("x".into()), Some(0));
        a.insert(5, "y".into());
        assert_eq!(a.push("z".into()), Some(6));
        let mut b = Array::new();
        b.insert(-5, "x".into());
        assert_eq!(b.push("y".into()), Some(-4));
        let mut c = Array::new();
        c.insert(i64::MAX, "x".into());
        assert_eq!(c.push("y".into()), None);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn insert_keeps_first_position_and_index_agrees() {
        let mut a = Array::new();
        for i in 0..40 {
            a.insert(format!("k{i}").as_str(), Value::from("v"));
        }
        a.insert("k3", "new".into());
        assert_eq!(a.len(), 40);
        assert_eq!(a.keys().nth(3), Some(&Key::Str("k3".into())));
        assert_eq!(a.get("k3"), Some(&Value::from("new")));
        assert_eq!(a.remove("k0"), Some(Value::from("v")));
        assert_eq!(a.get("k39"), Some(&Value::from("v")));
        assert_eq!(a.keys().next(), Some(&Key::Str("k1".into())));
    }
}
