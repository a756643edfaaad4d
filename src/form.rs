//! `application/x-www-form-urlencoded` with PHP bracket keys: decoded exactly as PHP 8's
//! `parse_str` decodes it, and encoded exactly as `http_build_query` encodes it.
//!
//! ```
//! use bitrix24_events::{form, Value};
//!
//! let tree = form::decode(b"data%5BmemberUid%5D=abc&ts=1770374945&a.b=1&l[]=x&l[]=y")?;
//! assert_eq!(tree.pointer(&["data", "memberUid"]).and_then(Value::as_str), Some("abc"));
//! assert_eq!(tree.pointer(&["a_b"]).and_then(Value::as_str), Some("1")); // PHP mangles `.`
//! assert_eq!(tree.pointer(&["l", "1"]).and_then(Value::as_str), Some("y"));
//! assert_eq!(form::encode(&tree), "data%5BmemberUid%5D=abc&ts=1770374945&a_b=1&l%5B0%5D=x&l%5B1%5D=y");
//! # Ok::<(), bitrix24_events::Error>(())
//! ```

use crate::value::{Array, Key, Value};
use crate::{Error, ErrorKind, Limits};

/// Decodes a form body into a tree with the default [`Limits`].
pub fn decode(body: &[u8]) -> Result<Value, Error> {
    decode_with(body, &Limits::default())
}

/// Decodes a form body into a tree, as PHP's `parse_str` does, within `limits`.
///
/// The result is always a [`Value::Array`]. Where PHP would silently drop data (more pairs than
/// `max_input_vars`, keys nested deeper than `max_input_nesting_level`, everything after a raw NUL
/// byte) this returns an error instead; bytes that are not UTF-8 in a key or value PHP keeps are an
/// error too.
pub fn decode_with(body: &[u8], limits: &Limits) -> Result<Value, Error> {
    Ok(Value::Array(decode_array(body, limits)?))
}

pub(crate) fn decode_array(body: &[u8], limits: &Limits) -> Result<Array, Error> {
    limits.check_body(body)?;
    // `contains` on bytes is a word-at-a-time memchr; the position is looked up only on failure.
    if body.contains(&0) {
        let offset = body.iter().position(|&b| b == 0).unwrap_or_default();
        return Err(ErrorKind::NulByte { offset }.into());
    }
    let mut root = Array::with_capacity(8);
    let mut pairs = 0usize;
    let mut key = Vec::with_capacity(64);
    let mut groups = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let (segment, next) = match find_byte(rest, b'&') {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &b""[..]),
        };
        rest = next;
        if segment.is_empty() {
            continue;
        }
        pairs += 1;
        if pairs > limits.max_pairs {
            return Err(ErrorKind::TooManyPairs { limit: limits.max_pairs }.into());
        }
        let (raw_key, raw_value) = match find_byte(segment, b'=') {
            Some(i) => (&segment[..i], &segment[i + 1..]),
            None => (segment, &b""[..]),
        };
        key.clear();
        // A NUL ends the key (PHP treats the name as a C string); raw NULs were refused above.
        if percent_decode_into(raw_key, &mut key) {
            let nul = key.iter().position(|&b| b == 0).unwrap_or_default();
            key.truncate(nul);
        }
        // Leading spaces of the key are dropped.
        let lead = key.iter().take_while(|&&b| b == b' ').count();
        let Some(shape) = parse_key(&mut key[lead..], &mut groups, limits)? else {
            continue;
        };
        insert_pair(&mut root, &key[lead..], shape, &groups, raw_value)?;
    }
    Ok(root)
}

/// One level below the base name: a `[key]` group (its byte range in the key) or a `[]` append.
#[derive(Clone, Copy)]
enum Group {
    Append,
    Key(usize, usize),
}

/// What [`parse_key`] found: the base name is `key[..base_end]`, and everything PHP uses of the key
/// lies in `key[..used_end]` (text after the last group is dropped unread).
#[derive(Clone, Copy)]
struct Shape {
    base_end: usize,
    used_end: usize,
}

/// PHP's `php_register_variable_ex`, on a decoded key without its NUL tail and leading spaces:
/// mangles the base name in place, fills `groups` with the levels below it, or returns `None` when
/// PHP drops the pair.
fn parse_key(key: &mut [u8], groups: &mut Vec<Group>, limits: &Limits) -> Result<Option<Shape>, Error> {
    groups.clear();
    let first_bracket = find_byte(key, b'[');
    let base_end = first_bracket.unwrap_or(key.len());
    if base_end == 0 {
        return Ok(None);
    }
    mangle(&mut key[..base_end], false);
    let Some(mut open) = first_bracket else {
        return Ok(Some(Shape { base_end, used_end: base_end }));
    };
    let mut used_end = base_end;
    loop {
        if groups.len() + 1 > limits.max_depth {
            return Err(ErrorKind::TooDeep { key: key_for_error(key), limit: limits.max_depth }.into());
        }
        let start = open + 1;
        let mut ip = start;
        // C's isspace(): one of these right after `[` is skipped when looking for `]`.
        if matches!(key.get(ip), Some(b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')) {
            ip += 1;
        }
        let close = if key.get(ip) == Some(&b']') {
            groups.push(Group::Append);
            ip
        } else {
            match find_byte(&key[ip.min(key.len())..], b']') {
                Some(rel) => {
                    let close = ip + rel;
                    groups.push(Group::Key(start, close));
                    close
                }
                None if groups.is_empty() => {
                    // Never closed: the `[` and the rest become part of a plain (mangled) name.
                    key[open] = b'_';
                    mangle(&mut key[start..], true);
                    return Ok(Some(Shape { base_end: key.len(), used_end: key.len() }));
                }
                // An unclosed `[` after a complete group is ignored.
                None => break,
            }
        };
        used_end = close;
        if key.get(close + 1) == Some(&b'[') {
            open = close + 1;
        } else {
            // Anything after `]` that is not `[` ends the key.
            break;
        }
    }
    Ok(Some(Shape { base_end, used_end }))
}

/// PHP replaces ` ` and `.` (and `[` in the tail of an unclosed name) with `_`.
fn mangle(name: &mut [u8], brackets: bool) {
    for b in name {
        if *b == b' ' || *b == b'.' || (brackets && *b == b'[') {
            *b = b'_';
        }
    }
}

fn key_for_error(key: &[u8]) -> String {
    let mut end = key.len().min(64);
    // Do not cut a UTF-8 sequence in half.
    while end < key.len() && end > 0 && (key[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    String::from_utf8_lossy(&key[..end]).into_owned()
}

fn insert_pair(root: &mut Array, key: &[u8], shape: Shape, groups: &[Group], raw_value: &[u8]) -> Result<(), Error> {
    let utf8_error = || Error::from(ErrorKind::InvalidUtf8 { key: key_for_error(key) });
    // Everything PHP keeps of the key is checked at once; brackets are ASCII, so the group ranges
    // are character boundaries of the checked text.
    let used = std::str::from_utf8(&key[..shape.used_end]).map_err(|_| utf8_error())?;
    let value = Value::String(decode_text(raw_value).ok_or_else(utf8_error)?);

    // Walk down, turning every intermediate slot into an array (last write wins, kind included).
    let mut slot = root.slot_str(&used[..shape.base_end]);
    for group in groups {
        let array = into_array(slot);
        slot = match *group {
            Group::Append => match array.push_slot() {
                Some(slot) => slot,
                // PHP drops an append whose next integer key would overflow.
                None => return Ok(()),
            },
            Group::Key(s, e) => array.slot_str(&used[s..e]),
        };
    }
    *slot = value;
    Ok(())
}

fn into_array(slot: &mut Value) -> &mut Array {
    if !matches!(slot, Value::Array(_)) {
        *slot = Value::Array(Array::with_capacity(8));
    }
    match slot {
        Value::Array(a) => a,
        _ => unreachable!("just made an array"),
    }
}

/// Percent-decodes (`+` is a space; an invalid escape is kept literally) and checks UTF-8.
fn decode_text(raw: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(raw.len());
    percent_decode_into(raw, &mut out);
    String::from_utf8(out).ok()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// PHP's `php_url_decode`, copying the runs between escapes in one piece. Returns whether an
/// escape decoded to a NUL byte.
fn percent_decode_into(raw: &[u8], out: &mut Vec<u8>) -> bool {
    let mut nul = false;
    let mut run = 0;
    let mut i = 0;
    while let Some(at) = find_either(&raw[i..], b'%', b'+') {
        i += at;
        if raw[i] == b'+' {
            out.extend_from_slice(&raw[run..i]);
            out.push(b' ');
            i += 1;
            run = i;
        } else if let (Some(h), Some(l)) =
            (raw.get(i + 1).copied().and_then(hex), raw.get(i + 2).copied().and_then(hex))
        {
            out.extend_from_slice(&raw[run..i]);
            let byte = h << 4 | l;
            nul |= byte == 0;
            out.push(byte);
            i += 3;
            run = i;
        } else {
            i += 1;
        }
    }
    out.extend_from_slice(&raw[run..]);
    nul
}

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// High bit set in (at least) the lowest byte of `word` that is zero, and in no byte below it.
#[inline]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// Position of the first byte of `hay` for which `mask(word)` flags a match, eight bytes at a time.
#[inline]
fn find_by(hay: &[u8], mask: impl Fn(u64) -> u64, matches: impl Fn(u8) -> bool) -> Option<usize> {
    let mut chunks = hay.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let m = mask(word);
        if m != 0 {
            return Some(offset + (m.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks.remainder().iter().position(|&b| matches(b)).map(|p| offset + p)
}

/// Position of the first `needle` in `hay`.
#[inline]
pub(crate) fn find_byte(hay: &[u8], needle: u8) -> Option<usize> {
    let n = ONES * u64::from(needle);
    find_by(hay, |w| zero_bytes(w ^ n), |b| b == needle)
}

/// Position of the first `a` or `b` in `hay`.
#[inline]
fn find_either(hay: &[u8], a: u8, b: u8) -> Option<usize> {
    let (na, nb) = (ONES * u64::from(a), ONES * u64::from(b));
    find_by(hay, |w| zero_bytes(w ^ na) | zero_bytes(w ^ nb), |c| c == a || c == b)
}

/// Encodes any serializable value (an [`AnyEvent`](crate::AnyEvent), an [`Event`](crate::Event), a
/// [`Value`]) as Bitrix24 would post it: `http_build_query` of its JSON form, keys in field order.
///
/// ```
/// use bitrix24_events::{AnyEvent, form};
/// let json = br#"{"event":"ONAPPUNINSTALL","data":{"CLEAN":1},"ts":1,"auth":{"domain":"d","member_id":"m"}}"#;
/// let event: AnyEvent = bitrix24_events::from_json(json)?;
/// let body = form::to_string(&event)?;
/// assert_eq!(body, "event=ONAPPUNINSTALL&data%5BCLEAN%5D=1&ts=1&auth%5Bdomain%5D=d&auth%5Bmember_id%5D=m");
/// assert_eq!(bitrix24_events::from_form::<AnyEvent>(body.as_bytes())?, event);
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
pub fn to_string<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    Ok(encode(&crate::to_value(value)?))
}

/// Encodes a tree exactly as PHP's `http_build_query($tree)` does (RFC 1738, `&` separator).
///
/// `null` values and empty arrays are left out, `true`/`false` become `1`/`0`, numbers are written
/// as text. A value that is not an array encodes as the empty string, as there is no key to give it.
/// Floating point numbers are written in Rust's shortest form, which differs from PHP's for
/// magnitudes of 1e15 and above (PHP switches to `1.0E+15`); Bitrix24 never sends floats.
pub fn encode(value: &Value) -> String {
    let mut out = String::new();
    if let Value::Array(a) = value {
        let mut prefix = String::new();
        encode_array(a, &mut prefix, true, &mut out);
    }
    out
}

fn encode_array(a: &Array, prefix: &mut String, top: bool, out: &mut String) {
    for (key, value) in a {
        let len = prefix.len();
        if !top {
            prefix.push_str("%5B");
        }
        match key {
            Key::Int(i) => {
                use std::fmt::Write;
                let _ = write!(prefix, "{i}");
            }
            Key::Str(s) => urlencode_into(s, prefix),
        }
        if !top {
            prefix.push_str("%5D");
        }
        let scalar = |out: &mut String, text: &str| {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(prefix);
            out.push('=');
            urlencode_into(text, out);
        };
        match value {
            Value::Null => {}
            Value::Bool(b) => scalar(out, if *b { "1" } else { "0" }),
            Value::Number(n) => scalar(out, &n.to_string()),
            Value::String(s) => scalar(out, s),
            Value::Array(inner) => encode_array(inner, prefix, false, out),
        }
        prefix.truncate(len);
    }
}

/// PHP's `urlencode`: alphanumerics and `-_.` stay, space is `+`, every other byte is `%XX`.
pub(crate) fn urlencode_into(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(body: &str) -> String {
        serde_json::to_string(&decode(body.as_bytes()).unwrap()).unwrap()
    }

    #[test]
    fn semantics_table() {
        for (body, want) in [
            ("a=1&a=2", r#"{"a":"2"}"#),
            ("a[]=1&a[]=2", r#"{"a":{"0":"1","1":"2"}}"#),
            ("a[]=1&a[5]=2&a[]=3", r#"{"a":{"0":"1","5":"2","6":"3"}}"#),
            ("a[-1]=x&a[]=y", r#"{"a":{"-1":"x","0":"y"}}"#),
            ("a.b=1", r#"{"a_b":"1"}"#),
            ("a b=1", r#"{"a_b":"1"}"#),
            ("a+b=1", r#"{"a_b":"1"}"#),
            ("a[b=1", r#"{"a_b":"1"}"#),
            ("a[b.c=1", r#"{"a_b_c":"1"}"#),
            ("a.b[c.d]=1", r#"{"a_b":{"c.d":"1"}}"#),
            (".a=1", r#"{"_a":"1"}"#),
            ("a]=1", r#"{"a]":"1"}"#),
            ("=1", r#"{}"#),
            ("[a]=1", r#"{}"#),
            ("a", r#"{"a":""}"#),
            ("a[b]", r#"{"a":{"b":""}}"#),
            ("a=b=c", r#"{"a":"b=c"}"#),
            ("a=%zz", r#"{"a":"%zz"}"#),
            ("a[01]=x&a[1]=y", r#"{"a":{"01":"x","1":"y"}}"#),
            ("a[][b]=1&a[][b]=2", r#"{"a":{"0":{"b":"1"},"1":{"b":"2"}}}"#),
            ("ab[=1&ab[]=2", r#"{"ab_":"1","ab":{"0":"2"}}"#),
            ("a[b]c=1", r#"{"a":{"b":"1"}}"#),
            ("a[b][=1", r#"{"a":{"b":"1"}}"#),
            ("a[ b]=1", r#"{"a":{" b":"1"}}"#),
            ("a[[b]]=1", r#"{"a":{"[b":"1"}}"#),
            ("a[ ]=1&a[%0A]=2&a[  ]=3", r#"{"a":{"0":"1","1":"2","  ":"3"}}"#),
            ("a%00b=1", r#"{"a":"1"}"#),
            ("a=1&a[b]=2", r#"{"a":{"b":"2"}}"#),
            ("a[b]=2&a=1", r#"{"a":"1"}"#),
            ("a[b][c]=1&a[b]=2", r#"{"a":{"b":"2"}}"#),
            ("a[1]=x&a[0]=y", r#"{"a":{"1":"x","0":"y"}}"#),
            ("a%5Bb%5d=1", r#"{"a":{"b":"1"}}"#),
            ("  a=1;b=2&&", r#"{"a":"1;b=2"}"#),
            ("a[-5]=x&a[]=y", r#"{"a":{"-5":"x","-4":"y"}}"#),
            ("a[9223372036854775807]=x&a[]=y", r#"{"a":{"9223372036854775807":"x"}}"#),
        ] {
            assert_eq!(json(body), want, "{body}");
        }
    }

    #[test]
    fn limits_are_errors() {
        let mut limits = Limits { max_pairs: 2, ..Limits::default() };
        let e = decode_with(b"a=1&&b=2&c=3", &limits).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::TooManyPairs { limit: 2 });
        limits.max_depth = 2;
        assert!(decode_with(b"a[1][2]=x", &limits).is_ok());
        let e = decode_with(b"a[1][2][3]=x", &limits).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::TooDeep { key: "a[1][2][3]".into(), limit: 2 });
        limits.max_body_bytes = 3;
        let e = decode_with(b"a=12", &limits).unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::BodyTooLarge { size: 4, limit: 3 });
    }

    #[test]
    fn non_utf8_names_the_key() {
        let e = decode(b"ok=1&data[x]=%FF").unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::InvalidUtf8 { key: "data[x]".into() });
        // Dropped or truncated parts are never looked at, as PHP never keeps them.
        assert_eq!(json("a[b]%FF=1&c%00%FF=2"), r#"{"a":{"b":"1"},"c":"2"}"#);
        let e = decode(b"a=1\0&b=2").unwrap_err();
        assert_eq!(e.kind(), &ErrorKind::NulByte { offset: 3 });
    }

    #[test]
    fn byte_search_finds_the_first_match_anywhere() {
        let hay: Vec<u8> = (0..40).map(|i| b'a' + (i % 20) as u8).collect();
        for (i, &b) in hay.iter().enumerate().take(20) {
            assert_eq!(find_byte(&hay, b), Some(i));
            assert_eq!(find_byte(&hay[i + 1..], b).map(|p| p + i + 1), Some(i + 20));
        }
        assert_eq!(find_byte(&hay, b'z'), None);
        assert_eq!(find_either(b"aaaaaaaaaaaaa+%", b'%', b'+'), Some(13));
        assert_eq!(find_either(b"aaaaaaaa%aaaa+", b'%', b'+'), Some(8));
        // Bytes right above and below the needle do not match (no borrow false positives first).
        assert_eq!(find_byte(&[0x25, 0x01, 0x00, 0x26, 0x24, 0xA6, 0xFF, 0x26, 0x26], 0x26), Some(3));
        assert_eq!(find_byte(&[0x00; 16], 0x00), Some(0));
    }

    #[test]
    fn encode_matches_http_build_query() {
        let tree = decode(b"a=x%20y*~&b[c][]=1&b[c][]=2&e[]").unwrap();
        assert_eq!(encode(&tree), "a=x+y%2A%7E&b%5Bc%5D%5B0%5D=1&b%5Bc%5D%5B1%5D=2&e%5B0%5D=");
    }
}
