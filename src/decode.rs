//! Entry points: from form bytes, from JSON bytes, or from a Content-Type and bytes.

use serde::de::DeserializeOwned;

use crate::value::Value;
use crate::{Error, ErrorKind, Limits};

/// The two encodings Bitrix24 event bodies arrive in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `application/x-www-form-urlencoded` with PHP bracket keys (what Bitrix24 sends).
    Form,
    /// `application/json` (what the docs show and some proxies forward).
    Json,
}

impl Format {
    /// Chooses by a `Content-Type` header value. The media type is matched ignoring case, a
    /// `charset` of UTF-8 or US-ASCII is accepted and other parameters are ignored; `+json`
    /// types count as JSON. A missing or other media type is [`ErrorKind::UnsupportedMediaType`].
    ///
    /// ```
    /// use bitrix24_events::Format;
    /// assert_eq!(Format::from_content_type(Some("application/x-www-form-urlencoded; charset=UTF-8"))?, Format::Form);
    /// assert_eq!(Format::from_content_type(Some("Application/JSON"))?, Format::Json);
    /// assert!(Format::from_content_type(Some("text/plain")).is_err());
    /// # Ok::<(), bitrix24_events::Error>(())
    /// ```
    pub fn from_content_type(content_type: Option<&str>) -> Result<Format, Error> {
        let unsupported =
            || Error::from(ErrorKind::UnsupportedMediaType { media_type: content_type.unwrap_or("").to_owned() });
        let mut parts = content_type.ok_or_else(unsupported)?.split(';');
        let essence = parts.next().unwrap_or("").trim();
        for param in parts {
            let Some((name, value)) = param.split_once('=') else { continue };
            if name.trim().eq_ignore_ascii_case("charset") {
                let value = value.trim().trim_matches('"');
                if !["utf-8", "utf8", "us-ascii"].iter().any(|c| c.eq_ignore_ascii_case(value)) {
                    return Err(unsupported());
                }
            }
        }
        if essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            Ok(Format::Form)
        } else if essence.eq_ignore_ascii_case("application/json")
            || essence.split_once('/').is_some_and(|(top, sub)| {
                top.eq_ignore_ascii_case("application")
                    && sub.len() > 5
                    && sub[sub.len() - 5..].eq_ignore_ascii_case("+json")
            })
        {
            Ok(Format::Json)
        } else {
            Err(unsupported())
        }
    }

    /// Guesses from the body: JSON when the first non-blank byte is `{`, form otherwise.
    pub fn sniff(body: &[u8]) -> Format {
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Json,
            _ => Format::Form,
        }
    }
}

/// Decodes bodies within configurable [`Limits`]. The free functions [`from_form`], [`from_json`]
/// and [`from_body`] use the defaults.
///
/// ```
/// use bitrix24_events::{AnyEvent, Decoder, Limits};
/// let mut limits = Limits::default();
/// limits.max_body_bytes = 16 * 1024;
/// let decoder = Decoder::new(limits);
/// let event: AnyEvent = decoder.body(Some("application/json"), br#"{"event":"ONAPPUNINSTALL",
///     "data":{"CLEAN":"1"},"ts":"1","auth":{"domain":"d","member_id":"m","application_token":"t"}}"#)?;
/// assert!(matches!(event, AnyEvent::AppUninstall(e) if e.data.clean));
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decoder {
    limits: Limits,
}

impl Decoder {
    /// A decoder with these limits.
    pub const fn new(limits: Limits) -> Self {
        Decoder { limits }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Decodes a form body (PHP `parse_str` semantics) into `T`.
    pub fn form<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, Error> {
        let tree = crate::form::decode_array(body, &self.limits)?;
        crate::de::from_value(Value::Array(tree))
    }

    /// Decodes a JSON body into `T`. Numbers may be JSON numbers or strings.
    pub fn json<T: DeserializeOwned>(&self, body: &[u8]) -> Result<T, Error> {
        self.limits.check_body(body)?;
        // serde_json does not check strings it skips (an unknown field's value); PHP's json_decode
        // refuses the whole body, and so do we, before parsing.
        let text = std::str::from_utf8(body).map_err(|e| ErrorKind::Json {
            message: format!("body is not valid UTF-8 (at byte {})", e.valid_up_to()),
        })?;
        // Likewise for a `\u` escape of half a surrogate pair (json_decode: "Single unpaired UTF-16
        // surrogate"), which serde_json only notices in strings it decodes.
        if let Some(at) = lone_surrogate(text.as_bytes()) {
            return Err(ErrorKind::Json { message: format!("unpaired UTF-16 surrogate escape at byte {at}") }.into());
        }
        serde_json::from_str(text).map_err(|e| json_error(text, e, |tree| crate::de::from_value::<T>(tree).err()))
    }

    /// Decodes a body in the given format.
    pub fn decode<T: DeserializeOwned>(&self, format: Format, body: &[u8]) -> Result<T, Error> {
        match format {
            Format::Form => self.form(body),
            Format::Json => self.json(body),
        }
    }

    /// Decodes a body, choosing the format by its `Content-Type` (see [`Format::from_content_type`]).
    pub fn body<T: DeserializeOwned>(&self, content_type: Option<&str>, body: &[u8]) -> Result<T, Error> {
        self.decode(Format::from_content_type(content_type)?, body)
    }

    /// Decodes a body into the generic tree, without typing it.
    pub fn tree(&self, format: Format, body: &[u8]) -> Result<Value, Error> {
        self.decode(format, body)
    }
}

/// The offset of the first `\uXXXX` escape that is half a surrogate pair without its other half.
/// Backslashes only occur inside JSON strings (anywhere else the body is malformed, and serde_json
/// says so), so the escapes can be read in one pass without tracking where strings start.
fn lone_surrogate(body: &[u8]) -> Option<usize> {
    let unit = |at: usize| -> Option<u16> {
        let hex = body.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let mut i = 0;
    while let Some(rel) = crate::form::find_byte(&body[i..], b'\\') {
        let at = i + rel;
        match body.get(at + 1) {
            Some(b'u') => match unit(at + 2) {
                Some(0xD800..=0xDBFF) => {
                    let low = if body.get(at + 6..at + 8) == Some(b"\\u") { unit(at + 8) } else { None };
                    if !matches!(low, Some(0xDC00..=0xDFFF)) {
                        return Some(at);
                    }
                    i = at + 12;
                }
                Some(0xDC00..=0xDFFF) => return Some(at),
                _ => i = at + 6,
            },
            _ => i = at + 2,
        }
        i = i.min(body.len());
    }
    None
}

/// Turns a serde_json error into ours. Syntax errors are reported as they are; for a data error the
/// body is decoded again through the tree, whose deserializer knows the key path and never echoes a
/// value (serde_json's messages quote the offending value, which may be a token).
fn json_error(body: &str, e: serde_json::Error, retype: impl FnOnce(Value) -> Option<Error>) -> Error {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => ErrorKind::Json { message: e.to_string() }.into(),
        Category::Data => match serde_json::from_str::<Value>(body) {
            Ok(tree) => retype(tree)
                .unwrap_or_else(|| Error::invalid(format!("invalid event at line {} column {}", e.line(), e.column()))),
            Err(e) => ErrorKind::Json { message: e.to_string() }.into(),
        },
    }
}

/// Decodes a form body into `T` with the default [`Limits`].
///
/// ```
/// use bitrix24_events::{AnyEvent, MemberStatus};
/// let body = "event=ONSIGNB2EMEMBERSTATUSCHANGED&event_handler_id=1211\
///     &data%5BmemberUid%5D=2ditmm6vjoolzbygaeua2jltkjb9hgks&data%5BdocumentUid%5D=R-LK-50JI-3AAK-WS1A\
///     &data%5BstatusCode%5D=done&data%5BstatusName%5D=Signed&ts=1770374945\
///     &auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585\
///     &auth%5Bapplication_token%5D=81905784dd6e05280c9a2015e0e61e68";
/// let AnyEvent::MemberStatusChanged(event) = bitrix24_events::from_form(body.as_bytes())? else { panic!() };
/// assert_eq!(event.data.status_code, MemberStatus::Done);
/// assert_eq!(event.event_handler_id, Some(1211));
/// assert!(event.auth.access_token.is_none());
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
pub fn from_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    Decoder::default().form(body)
}

/// Decodes a JSON body into `T` with the default [`Limits`].
pub fn from_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    Decoder::default().json(body)
}

/// Decodes a body into `T`, choosing form or JSON by its `Content-Type`, with the default [`Limits`].
pub fn from_body<T: DeserializeOwned>(content_type: Option<&str>, body: &[u8]) -> Result<T, Error> {
    Decoder::default().body(content_type, body)
}
