//! The expected `application_token` and its constant-time comparison.

use std::fmt;

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::{Error, ErrorKind, Secret};

/// The `application_token` a portal's events must carry: the EXPECTED value, as stored at install
/// (or provisioned by you), as opposed to the [`Secret`] received in an event's `auth` block.
///
/// `Debug` and `Display` print `[redacted]`, and the type does not implement `Serialize`: the value
/// is reachable only through [`ApplicationToken::secret`]. An empty token cannot be built, so an
/// empty expected value can never match anything.
///
/// [`ApplicationToken::verify`] compares in constant time: both sides are hashed with SHA-256 and
/// the two 32-byte digests are compared with [`subtle`]. A received token of another length is
/// therefore not a prefix comparison: it differs in the digest, like any other wrong token. (The
/// time taken to hash depends only on the received token's length, which the sender knows; the
/// expected token's digest is computed once, when the token is built.)
///
/// ```
/// use bitrix24_events::{ApplicationToken, Secret};
/// let expected = ApplicationToken::new("81905784dd6e05280c9a2015e0e61e68")?;
/// assert!(expected.verify(Some(&Secret::new("81905784dd6e05280c9a2015e0e61e68"))).is_ok());
/// assert!(expected.verify(Some(&Secret::new("81905784dd6e05280c9a2015e0e61e6"))).is_err());
/// assert!(expected.verify(None).is_err());
/// assert_eq!(format!("{expected:?} {expected}"), "[redacted] [redacted]");
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone)]
pub struct ApplicationToken {
    value: String,
    digest: [u8; 32],
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

impl ApplicationToken {
    /// Wraps the expected token. An empty value is refused with [`ErrorKind::EmptyToken`]: an empty
    /// expected token would otherwise be a configuration mistake that accepts nothing (or, with a
    /// careless comparison, everything).
    pub fn new(value: impl Into<String>) -> Result<Self, Error> {
        let value = value.into();
        if value.is_empty() {
            return Err(ErrorKind::EmptyToken.into());
        }
        let digest = sha256(value.as_bytes());
        Ok(ApplicationToken { value, digest })
    }

    /// The token's value, to persist it (in your database, for example).
    ///
    /// **Security warning:** everything that reads this can leak it. Do not log it, put it in an
    /// error message or a response, or compare it with `==` (use [`ApplicationToken::verify`]).
    pub fn secret(&self) -> &str {
        &self.value
    }

    /// Checks a received `auth[application_token]` against this expected token, in constant time.
    ///
    /// - `None` or an empty received token is [`ErrorKind::MissingApplicationToken`];
    /// - any other difference (one byte off, truncated, longer) is [`ErrorKind::TokenMismatch`].
    ///
    /// Neither error says anything about either value.
    pub fn verify(&self, received: Option<&Secret>) -> Result<(), Error> {
        match received {
            Some(received) if !received.is_empty() => self.verify_str(received.secret()),
            _ => Err(ErrorKind::MissingApplicationToken.into()),
        }
    }

    /// [`ApplicationToken::verify`] for a token that is not wrapped in a [`Secret`] (one read from
    /// a header or a configuration file, for example). An empty `received` never matches.
    pub fn verify_str(&self, received: &str) -> Result<(), Error> {
        if received.is_empty() {
            return Err(ErrorKind::MissingApplicationToken.into());
        }
        if bool::from(self.digest.ct_eq(&sha256(received.as_bytes()))) {
            Ok(())
        } else {
            Err(ErrorKind::TokenMismatch.into())
        }
    }

    /// Whether `received` is this token: [`ApplicationToken::verify`] as a `bool`.
    pub fn matches(&self, received: Option<&Secret>) -> bool {
        self.verify(received).is_ok()
    }
}

/// Constant time, like [`ApplicationToken::verify`].
impl PartialEq for ApplicationToken {
    fn eq(&self, other: &Self) -> bool {
        self.digest.ct_eq(&other.digest).into()
    }
}

impl Eq for ApplicationToken {}

impl fmt::Debug for ApplicationToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for ApplicationToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl TryFrom<String> for ApplicationToken {
    type Error = Error;
    fn try_from(value: String) -> Result<Self, Error> {
        ApplicationToken::new(value)
    }
}

impl TryFrom<&str> for ApplicationToken {
    type Error = Error;
    fn try_from(value: &str) -> Result<Self, Error> {
        ApplicationToken::new(value)
    }
}

/// Takes a received token as the expected one (what an install does). Empty is refused.
impl TryFrom<Secret> for ApplicationToken {
    type Error = Error;
    fn try_from(value: Secret) -> Result<Self, Error> {
        ApplicationToken::new(value.into_secret())
    }
}

/// Takes a received token as the expected one (what an install does). Empty is refused.
impl TryFrom<&Secret> for ApplicationToken {
    type Error = Error;
    fn try_from(value: &Secret) -> Result<Self, Error> {
        ApplicationToken::new(value.secret())
    }
}

impl std::str::FromStr for ApplicationToken {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        ApplicationToken::new(s)
    }
}

impl From<ApplicationToken> for Secret {
    fn from(token: ApplicationToken) -> Secret {
        Secret::new(token.value)
    }
}
