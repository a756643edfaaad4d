//! The OAuth tokens an event may carry, and the helpers that make their absence explicit.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::{AnyEvent, Auth, Error, ErrorKind, Event, Secret};

/// The OAuth 2.0 tokens of the user behind an event, as one value.
///
/// Bitrix24 leaves `access_token`, `refresh_token` and `expires_in` out when no user is behind the
/// event (sign.b2e events usually, ONAPPUNINSTALL always). The tokens count as **present** exactly
/// when `auth[access_token]` is present and not empty:
///
/// - an access token without `expires_in`/`expires` is still present and usable: its expiry is
///   unknown, so [`OAuthTokens::is_expired`] says `false` and the REST API will tell you
///   (`expired_token`) when it is;
/// - an access token without a refresh token is present too (most events other than install and
///   update carry no refresh token);
/// - a refresh token without an access token is not: Bitrix24 never sends one alone, and nothing
///   can be called with it directly;
/// - an empty token counts as absent.
///
/// `Debug` shows no token ([`Secret`] prints `[redacted]`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OAuthTokens {
    /// The access token (never empty when built from an event).
    pub access_token: Secret,
    /// The refresh token, when the event carried one (install and update events do).
    pub refresh_token: Option<Secret>,
    /// Seconds the access token was valid for when issued (`auth[expires_in]`, usually 3600).
    pub expires_in: Option<u64>,
    /// When the access token expires, unix seconds (`auth[expires]`).
    pub expires: Option<u64>,
    /// The user the tokens belong to (`auth[user_id]`).
    pub user_id: Option<u64>,
    /// The scopes granted (`auth[scope]`, comma-separated).
    pub scope: Option<String>,
}

/// The one rule for "the event carries this token": present and not empty.
fn present(token: &Option<Secret>) -> Option<&Secret> {
    token.as_ref().filter(|s| !s.is_empty())
}

impl OAuthTokens {
    /// Tokens with only an access token.
    pub fn new(access_token: Secret) -> Self {
        OAuthTokens { access_token, refresh_token: None, expires_in: None, expires: None, user_id: None, scope: None }
    }

    /// Sets the refresh token.
    pub fn with_refresh_token(mut self, refresh_token: Secret) -> Self {
        self.refresh_token = Some(refresh_token);
        self
    }

    /// Sets `expires_in` (seconds).
    pub fn with_expires_in(mut self, expires_in: u64) -> Self {
        self.expires_in = Some(expires_in);
        self
    }

    /// Sets `expires` (unix seconds).
    pub fn with_expires(mut self, expires: u64) -> Self {
        self.expires = Some(expires);
        self
    }

    /// The tokens in an `auth` block, when present (see the type's documentation for the rule).
    pub fn from_auth(auth: &Auth) -> Option<OAuthTokens> {
        Some(OAuthTokens {
            access_token: present(&auth.access_token)?.clone(),
            refresh_token: present(&auth.refresh_token).cloned(),
            expires_in: auth.expires_in,
            expires: auth.expires,
            user_id: auth.user_id,
            scope: auth.scope.clone(),
        })
    }

    /// Whether the access token has expired at `now`, by `expires`. `false` when `expires` is
    /// unknown; `expires_in` alone is not used, as it does not say when the token was issued.
    pub fn is_expired(&self, now: SystemTime) -> bool {
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        self.expires.is_some_and(|expires| expires <= now)
    }
}

impl Auth {
    /// The OAuth tokens as one value, when present (a non-empty `access_token`; see [`OAuthTokens`]).
    pub fn oauth_tokens(&self) -> Option<OAuthTokens> {
        OAuthTokens::from_auth(self)
    }

    /// Whether a user is behind the event: Bitrix24 sent an access token for them. Exactly when
    /// [`Auth::oauth_tokens`] is `Some`.
    pub fn has_user(&self) -> bool {
        present(&self.access_token).is_some()
    }

    /// The OAuth tokens, or [`ErrorKind::MissingTokens`] when the event carried none.
    pub fn require_tokens(&self) -> Result<OAuthTokens, Error> {
        self.oauth_tokens().ok_or_else(|| ErrorKind::MissingTokens.into())
    }

    /// The event's own tokens when present, otherwise a copy of `stored` (typically the tokens
    /// stored at install for this portal, [`Portal::tokens`](crate::Portal::tokens)), otherwise
    /// [`ErrorKind::MissingTokens`].
    ///
    /// Pass only tokens stored for this event's `member_id`. Stored tokens may have expired: check
    /// [`OAuthTokens::is_expired`] and refresh them before use.
    pub fn tokens_or(&self, stored: Option<&OAuthTokens>) -> Result<OAuthTokens, Error> {
        self.oauth_tokens().or_else(|| stored.cloned()).ok_or_else(|| ErrorKind::MissingTokens.into())
    }
}

impl<D> Event<D> {
    /// See [`Auth::oauth_tokens`].
    pub fn oauth_tokens(&self) -> Option<OAuthTokens> {
        self.auth.oauth_tokens()
    }

    /// See [`Auth::has_user`].
    pub fn has_user(&self) -> bool {
        self.auth.has_user()
    }

    /// See [`Auth::require_tokens`].
    pub fn require_tokens(&self) -> Result<OAuthTokens, Error> {
        self.auth.require_tokens()
    }

    /// See [`Auth::tokens_or`].
    pub fn tokens_or(&self, stored: Option<&OAuthTokens>) -> Result<OAuthTokens, Error> {
        self.auth.tokens_or(stored)
    }
}

impl AnyEvent {
    /// The OAuth tokens as one value, when present (a non-empty `access_token`; see [`OAuthTokens`]).
    ///
    /// ```
    /// use bitrix24_events::AnyEvent;
    /// // A sign.b2e event: no user behind it, so no tokens.
    /// let body = b"event=ONSIGNB2EDOCUMENTSTATUSCHANGED&data%5BdocumentUid%5D=R-1&data%5BstatusCode%5D=done\
    ///              &ts=1770374945&auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t";
    /// let event: AnyEvent = bitrix24_events::from_form(body)?;
    /// assert!(event.oauth_tokens().is_none());
    /// assert!(!event.has_user());
    /// assert!(event.require_tokens().is_err());
    /// # Ok::<(), bitrix24_events::Error>(())
    /// ```
    pub fn oauth_tokens(&self) -> Option<OAuthTokens> {
        self.auth().oauth_tokens()
    }

    /// See [`Auth::has_user`].
    pub fn has_user(&self) -> bool {
        self.auth().has_user()
    }

    /// See [`Auth::require_tokens`].
    pub fn require_tokens(&self) -> Result<OAuthTokens, Error> {
        self.auth().require_tokens()
    }

    /// See [`Auth::tokens_or`].
    pub fn tokens_or(&self, stored: Option<&OAuthTokens>) -> Result<OAuthTokens, Error> {
        self.auth().tokens_or(stored)
    }
}
