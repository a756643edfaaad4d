//! The crate's one error type.

use std::fmt;

/// An error decoding, typing or checking a Bitrix24 event.
///
/// The error is one pointer wide; [`Error::kind`] tells what went wrong and where. Its text names
/// the key path (`auth[member_id]`), the limit or the media type involved, and never contains a
/// value taken from the body: a token that landed in the wrong field cannot leak through a log line.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

/// What went wrong. New kinds may be added in minor releases.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The body is larger than [`Limits::max_body_bytes`](crate::Limits::max_body_bytes).
    #[error("body of {size} bytes exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The size of the body, in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// The form body has more `&`-separated pairs than [`Limits::max_pairs`](crate::Limits::max_pairs).
    #[error("form body has more than {limit} pairs")]
    TooManyPairs {
        /// The limit in force.
        limit: usize,
    },
    /// A form key nests deeper than [`Limits::max_depth`](crate::Limits::max_depth) bracket levels.
    #[error("key `{key}` nests deeper than {limit} levels")]
    TooDeep {
        /// The key as decoded (its first 64 bytes at most).
        key: String,
        /// The limit in force.
        limit: usize,
    },
    /// A form key or value decodes to bytes that are not UTF-8.
    #[error("key `{key}`: decoded bytes are not valid UTF-8")]
    InvalidUtf8 {
        /// The key whose name or value is not UTF-8 (invalid bytes shown as U+FFFD).
        key: String,
    },
    /// The form body contains a raw NUL byte (PHP would silently ignore everything after it).
    #[error("form body contains a raw NUL byte at offset {offset}")]
    NulByte {
        /// Byte offset of the NUL in the body.
        offset: usize,
    },
    /// The JSON body is not well-formed JSON.
    #[error("malformed JSON body: {message}")]
    Json {
        /// What serde_json reported, with line and column.
        message: String,
    },
    /// A field the event needs is absent.
    #[error("`{path}` is missing")]
    Missing {
        /// Where the field was expected, in PHP bracket notation (`auth[member_id]`).
        path: String,
    },
    /// A field is present but does not have the expected shape or value.
    #[error("{}", invalid_text(path, message))]
    InvalidValue {
        /// The field, in PHP bracket notation (`data[statusCode]`); empty for the whole body.
        path: String,
        /// What was expected and what was found (never the value itself).
        message: String,
    },
    /// The request's media type is neither form nor JSON (or is missing).
    #[error("unsupported media type `{media_type}` (expected application/x-www-form-urlencoded or application/json)")]
    UnsupportedMediaType {
        /// The Content-Type as received; empty when there was none.
        media_type: String,
    },
    /// The event's `auth[application_token]` is not the one expected for its portal.
    #[error("auth[application_token] does not match the expected token")]
    TokenMismatch,
    /// No application_token is known for the event's portal (nothing stored for its `member_id`).
    #[error("unknown portal: no application_token is stored for this auth[member_id]")]
    UnknownPortal {
        /// The portal's `member_id` as received (not part of the message).
        member_id: String,
    },
    /// The event carries no `auth[application_token]`, or an empty one.
    #[error("auth[application_token] is missing or empty")]
    MissingApplicationToken,
    /// An expected [`ApplicationToken`](crate::ApplicationToken) was built from an empty value.
    #[error("an expected application_token must not be empty")]
    EmptyToken,
    /// OAuth tokens were required but the event carries none (no user is behind it) and none were
    /// stored to fall back on.
    #[error("the event carries no OAuth tokens (no user is behind it)")]
    MissingTokens,
    /// The event's `ts` is older than [`Validation::max_age`](crate::Validation::max_age) allows,
    /// or further in the future than the allowed clock skew.
    #[error("event timestamp is outside the accepted window (at most {max_age} s old, {max_skew} s ahead)")]
    Stale {
        /// The event's `ts` (unix seconds; not part of the message).
        ts: u64,
        /// The clock the event was checked at (unix seconds).
        now: u64,
        /// The maximum age in force, in seconds.
        max_age: u64,
        /// The maximum clock skew into the future in force, in seconds.
        max_skew: u64,
    },
    /// An install or update was refused by the install policy ([`Validation`](crate::Validation)).
    #[error("install refused: {reason}")]
    InstallRefused {
        /// The portal's `member_id` as received (not part of the message).
        member_id: String,
        /// Why it was refused.
        reason: crate::InstallRefusal,
    },
}

fn invalid_text(path: &str, message: &str) -> String {
    if path.is_empty() { message.to_owned() } else { format!("`{path}`: {message}") }
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Takes the kind out of the error.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// The key path the error is about, in PHP bracket notation, when it is about one.
    pub fn path(&self) -> Option<&str> {
        match &*self.0 {
            ErrorKind::Missing { path } | ErrorKind::InvalidValue { path, .. } => Some(path),
            ErrorKind::TooDeep { key, .. } | ErrorKind::InvalidUtf8 { key } => Some(key),
            _ => None,
        }
    }

    /// Prepends one path segment (used while unwinding out of nested values).
    pub(crate) fn within(mut self, segment: &dyn fmt::Display) -> Self {
        let prefix = segment.to_string();
        if let ErrorKind::Missing { path } | ErrorKind::InvalidValue { path, .. } = &mut *self.0 {
            *path = if path.is_empty() {
                prefix
            } else {
                // The old first segment was bare (`member_id`, `auth[x]`): it becomes a group.
                match path.find('[') {
                    Some(i) => format!("{prefix}[{}]{}", &path[..i], &path[i..]),
                    None => format!("{prefix}[{path}]"),
                }
            };
            // Errors about a secret field never carry what the value looked like.
            if let ErrorKind::InvalidValue { path, message } = &mut *self.0 {
                if crate::secret::is_secret_path(path) {
                    *message = "invalid value (details withheld for a secret field)".into();
                }
            }
        }
        self
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ErrorKind::InvalidValue { path: String::new(), message: message.into() }.into()
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

/// Describes what a serde visitor was given without echoing the value itself.
fn unexpected_kind(unexp: serde::de::Unexpected<'_>) -> &'static str {
    use serde::de::Unexpected as U;
    match unexp {
        U::Bool(_) => "a boolean",
        U::Unsigned(_) | U::Signed(_) => "an integer",
        U::Float(_) => "a floating point number",
        U::Char(_) | U::Str(_) => "a string",
        U::Bytes(_) => "bytes",
        U::Unit => "null",
        U::Option => "an optional value",
        U::NewtypeStruct => "a newtype struct",
        U::Seq => "a list",
        U::Map => "an array",
        U::Enum => "an enum",
        U::UnitVariant | U::NewtypeVariant | U::TupleVariant | U::StructVariant => "an enum variant",
        U::Other(_) => "another kind of value",
    }
}

impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::invalid(msg.to_string())
    }

    fn invalid_type(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::invalid(format!("expected {exp}, found {}", unexpected_kind(unexp)))
    }

    fn invalid_value(unexp: serde::de::Unexpected<'_>, exp: &dyn serde::de::Expected) -> Self {
        Error::invalid(format!("invalid {}, expected {exp}", unexpected_kind(unexp)))
    }

    fn invalid_length(len: usize, exp: &dyn serde::de::Expected) -> Self {
        Error::invalid(format!("invalid length {len}, expected {exp}"))
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        Error::invalid(format!("unknown variant, expected one of {expected:?}"))
    }

    fn unknown_field(_field: &str, expected: &'static [&'static str]) -> Self {
        Error::invalid(format!("unknown field, expected one of {expected:?}"))
    }

    fn missing_field(field: &'static str) -> Self {
        ErrorKind::Missing { path: field.to_owned() }.into()
    }

    fn duplicate_field(field: &'static str) -> Self {
        ErrorKind::InvalidValue { path: field.to_owned(), message: "duplicate field".into() }.into()
    }
}
