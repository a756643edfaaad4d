//! The `auth` block every event carries.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::Secret;
use crate::code::code_enum;
use crate::value::{Array, Key, Value};

code_enum! {
    /// The application's status on the portal (`auth[status]`).
    pub enum AppStatus {
        /// `L`: local application.
        Local = "L",
        /// `F`: free.
        Free = "F",
        /// `D`: demo.
        Demo = "D",
        /// `T`: trial.
        Trial = "T",
        /// `P`: paid.
        Paid = "P",
        /// `S`: subscription.
        Subscription = "S",
    }
}

/// The `auth` block: which portal sent the event, the app's proof (`application_token`) and, when a
/// user is behind the event, OAuth tokens.
///
/// Bitrix24 leaves out `access_token`, `refresh_token` and `expires_in` when no user is behind the
/// event (sign.b2e events usually, ONAPPUNINSTALL always), so they are `Option`s. Fields this version
/// does not know are kept in [`Auth::extra`] and written back by `Serialize`.
///
/// `Debug` never shows a token:
/// ```
/// let auth: bitrix24_events::Auth = serde_json::from_str(
///     r#"{"domain":"x.bitrix24.com","member_id":"m1","application_token":"s3cr3t","access_token":"a1"}"#,
/// )?;
/// assert!(!format!("{auth:?}").contains("s3cr3t"));
/// assert!(!format!("{auth:?}").contains("a1\""));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
#[non_exhaustive]
pub struct Auth {
    /// OAuth 2.0 access token; absent when no user is behind the event.
    pub access_token: Option<Secret>,
    /// Absolute expiry of `access_token`, unix seconds (real bodies carry it; the docs do not).
    pub expires: Option<u64>,
    /// Seconds until `access_token` expires.
    pub expires_in: Option<u64>,
    /// Comma-separated scopes (`crm,placement,user_brief`).
    pub scope: Option<String>,
    /// The portal's host name (`some-domain.bitrix24.com`).
    pub domain: String,
    /// The OAuth server (`https://oauth.bitrix.info/rest/`).
    pub server_endpoint: Option<String>,
    /// The app's status on the portal.
    pub status: Option<AppStatus>,
    /// The portal's REST base URL (`https://some-domain.bitrix24.com/rest/`).
    pub client_endpoint: Option<String>,
    /// The portal's identifier: the key for everything stored per portal.
    pub member_id: String,
    /// The user the OAuth tokens belong to.
    pub user_id: Option<u64>,
    /// OAuth 2.0 refresh token; mostly only on install and update.
    pub refresh_token: Option<Secret>,
    /// The per-portal token that proves the event comes from the portal the app was installed on.
    pub application_token: Option<Secret>,
    /// Sent by some bot events.
    pub client_id: Option<String>,
    /// Fields this version does not know, in the order received.
    pub extra: Array,
}

impl Auth {
    /// Scopes as a list (`"crm,user_brief"` -> `["crm", "user_brief"]`).
    pub fn scopes(&self) -> impl Iterator<Item = &str> + '_ {
        self.scope.as_deref().unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty())
    }

    /// A copy with every token replaced by the text `[redacted]`, safe to log or serialize.
    pub fn redacted(&self) -> Auth {
        let redact = |s: &Option<Secret>| s.as_ref().map(|_| Secret::new("[redacted]"));
        let mut extra = self.extra.clone();
        for name in crate::secret::SECRET_FIELDS {
            if let Some(v) = extra.get_mut(name) {
                *v = Value::from("[redacted]");
            }
        }
        Auth {
            access_token: redact(&self.access_token),
            refresh_token: redact(&self.refresh_token),
            application_token: redact(&self.application_token),
            extra,
            ..self.clone()
        }
    }
}

/// Field names, in the order `Serialize` writes them (Bitrix24's own order).
enum Field {
    AccessToken,
    Expires,
    ExpiresIn,
    Scope,
    Domain,
    ServerEndpoint,
    Status,
    ClientEndpoint,
    MemberId,
    UserId,
    RefreshToken,
    ApplicationToken,
    ClientId,
    Other(Key),
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an auth field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    "access_token" => Field::AccessToken,
                    "expires" => Field::Expires,
                    "expires_in" => Field::ExpiresIn,
                    "scope" => Field::Scope,
                    "domain" => Field::Domain,
                    "server_endpoint" => Field::ServerEndpoint,
                    "status" => Field::Status,
                    "client_endpoint" => Field::ClientEndpoint,
                    "member_id" => Field::MemberId,
                    "user_id" => Field::UserId,
                    "refresh_token" => Field::RefreshToken,
                    "application_token" => Field::ApplicationToken,
                    "client_id" => Field::ClientId,
                    other => Field::Other(Key::from_php(other)),
                })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Field, E> {
                Ok(Field::Other(Key::Int(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Field, E> {
                Ok(Field::Other(i64::try_from(v).map_or_else(|_| Key::Str(v.to_string().into()), Key::Int)))
            }
        }
        d.deserialize_identifier(FieldVisitor)
    }
}

impl<'de> Deserialize<'de> for Auth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct AuthVisitor;
        impl<'de> Visitor<'de> for AuthVisitor {
            type Value = Auth;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the auth block")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Auth, A::Error> {
                let mut auth = Auth::default();
                let (mut domain, mut member_id) = (None, None);
                // Repeated keys: the last one wins, as in PHP.
                while let Some(field) = map.next_key::<Field>()? {
                    match field {
                        Field::AccessToken => auth.access_token = map.next_value()?,
                        Field::Expires => auth.expires = map.next_value_seed(crate::wire::opt_number::Seed)?,
                        Field::ExpiresIn => auth.expires_in = map.next_value_seed(crate::wire::opt_number::Seed)?,
                        Field::Scope => auth.scope = map.next_value_seed(crate::wire::opt_text::Seed)?,
                        Field::Domain => domain = Some(map.next_value_seed(crate::wire::text::Seed)?),
                        Field::ServerEndpoint => {
                            auth.server_endpoint = map.next_value_seed(crate::wire::opt_text::Seed)?
                        }
                        Field::Status => auth.status = map.next_value()?,
                        Field::ClientEndpoint => {
                            auth.client_endpoint = map.next_value_seed(crate::wire::opt_text::Seed)?
                        }
                        Field::MemberId => member_id = Some(map.next_value_seed(crate::wire::text::Seed)?),
                        Field::UserId => auth.user_id = map.next_value_seed(crate::wire::opt_number::Seed)?,
                        Field::RefreshToken => auth.refresh_token = map.next_value()?,
                        Field::ApplicationToken => auth.application_token = map.next_value()?,
                        Field::ClientId => auth.client_id = map.next_value_seed(crate::wire::opt_text::Seed)?,
                        Field::Other(key) => {
                            auth.extra.insert(key, map.next_value()?);
                        }
                    }
                }
                auth.domain = domain.ok_or_else(|| de::Error::missing_field("domain"))?;
                auth.member_id = member_id.ok_or_else(|| de::Error::missing_field("member_id"))?;
                Ok(auth)
            }
        }
        d.deserialize_map(AuthVisitor)
    }
}

impl Serialize for Auth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(v) = &self.access_token {
            m.serialize_entry("access_token", v)?;
        }
        if let Some(v) = self.expires {
            m.serialize_entry("expires", &v)?;
        }
        if let Some(v) = self.expires_in {
            m.serialize_entry("expires_in", &v)?;
        }
        if let Some(v) = &self.scope {
            m.serialize_entry("scope", v)?;
        }
        m.serialize_entry("domain", &self.domain)?;
        if let Some(v) = &self.server_endpoint {
            m.serialize_entry("server_endpoint", v)?;
        }
        if let Some(v) = &self.status {
            m.serialize_entry("status", v)?;
        }
        if let Some(v) = &self.client_endpoint {
            m.serialize_entry("client_endpoint", v)?;
        }
        m.serialize_entry("member_id", &self.member_id)?;
        if let Some(v) = self.user_id {
            m.serialize_entry("user_id", &v)?;
        }
        if let Some(v) = &self.refresh_token {
            m.serialize_entry("refresh_token", v)?;
        }
        if let Some(v) = &self.application_token {
            m.serialize_entry("application_token", v)?;
        }
        if let Some(v) = &self.client_id {
            m.serialize_entry("client_id", v)?;
        }
        for (k, v) in &self.extra {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}
