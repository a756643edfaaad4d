//! Secrets that must not leak through Debug, Display, logs or error messages.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A token received from Bitrix24 (`access_token`, `refresh_token`, `application_token`).
///
/// `Debug` and `Display` print `[redacted]`. The value is reachable only through
/// [`Secret::secret`], so every place that reads it is easy to find in review.
///
/// `==` on secrets (and on the structs holding them) is an ordinary comparison, not a constant-time
/// one: verify tokens with [`ApplicationToken::verify`](crate::ApplicationToken::verify).
///
/// `Serialize` writes the real value (a decoded event rendered as JSON must decode back to the same
/// event); use [`AnyEvent::redacted`](crate::AnyEvent::redacted) before logging a whole event.
///
/// ```
/// use bitrix24_events::Secret;
/// let token = Secret::new("81905784dd6e05280c9a2015e0e61e68");
/// assert_eq!(format!("{token:?} {token}"), "[redacted] [redacted]");
/// assert_eq!(token.secret(), "81905784dd6e05280c9a2015e0e61e68");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value.
    ///
    /// **Security warning:** everything that reads this can leak it. Do not log it, put it in an
    /// error message or compare it with `==` (use [`ApplicationToken::verify`](crate::ApplicationToken::verify)).
    pub fn secret(&self) -> &str {
        &self.0
    }

    /// Takes the secret value out. The same warning as [`Secret::secret`] applies.
    pub fn into_secret(self) -> String {
        self.0
    }

    /// Whether the value is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::wire::text::deserialize(d).map(Secret)
    }
}

/// The field names whose values are secrets.
pub(crate) const SECRET_FIELDS: [&str; 3] = ["access_token", "refresh_token", "application_token"];

/// Whether an error path (`auth[application_token]`) points at a secret field.
pub(crate) fn is_secret_path(path: &str) -> bool {
    let last = path.rsplit('[').next().unwrap_or(path).trim_end_matches(']');
    SECRET_FIELDS.contains(&last)
}
