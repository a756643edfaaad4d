//! What an application keeps per portal, and where it keeps it.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use crate::{AnyEvent, ApplicationToken, Auth, Error, ErrorKind, OAuthTokens};

/// What to store for one portal: its identity, the `application_token` its events must carry and,
/// when the install or update event had them, the OAuth tokens of the user who installed.
///
/// `Debug` shows no token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Portal {
    /// The portal's identifier (`auth[member_id]`): the key.
    pub member_id: String,
    /// The portal's host name (`auth[domain]`), as last seen. Portals can change it; `member_id`
    /// stays.
    pub domain: String,
    /// The portal's REST base URL (`auth[client_endpoint]`), when known.
    pub client_endpoint: Option<String>,
    /// The token every event from this portal must carry.
    pub application_token: ApplicationToken,
    /// The OAuth tokens from the install or update event, when it had them.
    pub tokens: Option<OAuthTokens>,
    /// The app version installed (`data[VERSION]` of ONAPPINSTALL / ONAPPUPDATE), when known.
    pub version: Option<u64>,
}

impl Portal {
    /// A portal with its expected token and nothing else: what you provision by hand (for an
    /// outgoing webhook, or to pin a portal before it installs; see
    /// [`InstallTrust::Provisioned`](crate::InstallTrust::Provisioned)).
    pub fn new(member_id: impl Into<String>, domain: impl Into<String>, application_token: ApplicationToken) -> Self {
        Portal {
            member_id: member_id.into(),
            domain: domain.into(),
            client_endpoint: None,
            application_token,
            tokens: None,
            version: None,
        }
    }

    /// Sets the OAuth tokens.
    pub fn with_tokens(mut self, tokens: OAuthTokens) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// What an event's `auth` block says about its portal: member_id, domain, client_endpoint,
    /// application_token and the OAuth tokens when present. This does not verify anything; use it
    /// on an event that [`Validation`](crate::Validation) accepted.
    ///
    /// Errors: an empty `member_id` is [`ErrorKind::Missing`] (`auth[member_id]`); a missing or empty
    /// `application_token` is [`ErrorKind::MissingApplicationToken`].
    pub fn from_auth(auth: &Auth) -> Result<Portal, Error> {
        if auth.member_id.is_empty() {
            return Err(ErrorKind::Missing { path: "auth[member_id]".into() }.into());
        }
        let token = match &auth.application_token {
            Some(token) if !token.is_empty() => ApplicationToken::try_from(token)?,
            _ => return Err(ErrorKind::MissingApplicationToken.into()),
        };
        Ok(Portal {
            member_id: auth.member_id.clone(),
            domain: auth.domain.clone(),
            client_endpoint: auth.client_endpoint.clone(),
            application_token: token,
            tokens: auth.oauth_tokens(),
            version: None,
        })
    }

    /// [`Portal::from_auth`], plus the version for ONAPPINSTALL and ONAPPUPDATE.
    pub fn from_event(event: &AnyEvent) -> Result<Portal, Error> {
        let mut portal = Portal::from_auth(event.auth())?;
        portal.version = match event {
            AnyEvent::AppInstall(e) => Some(e.data.version),
            AnyEvent::AppUpdate(e) => Some(e.data.version),
            _ => None,
        };
        Ok(portal)
    }
}

/// Where the expected `application_token` of each portal is kept, by `member_id`: back it with your
/// database, Redis, a configuration file.
///
/// The methods are synchronous and infallible, for stores that answer from memory. With an async
/// or fallible store, do not implement this trait: look the token up yourself, then call
/// [`Validation::check`](crate::Validation::check) (plain events) or
/// [`Validation::decide`](crate::Validation::decide) (the whole lifecycle) and carry out the
/// [`Decision`](crate::Decision) it returns.
pub trait TokenStore: Send + Sync {
    /// The expected token of the portal `member_id`, or `None` when the portal is unknown.
    fn token(&self, member_id: &str) -> Option<ApplicationToken>;
    /// Stores (inserts or replaces) a portal, keyed by its `member_id`.
    fn store(&self, portal: Portal);
    /// Removes a portal, returning what was stored.
    fn forget(&self, member_id: &str) -> Option<Portal>;
}

/// Stores behind a pointer are stores: `Arc<MemoryTokenStore>`, `Box<dyn TokenStore>`, `&S`.
macro_rules! forward_store {
    ($($pointer:ty),*) => {$(
        impl<T: TokenStore + ?Sized> TokenStore for $pointer {
            fn token(&self, member_id: &str) -> Option<ApplicationToken> {
                (**self).token(member_id)
            }
            fn store(&self, portal: Portal) {
                (**self).store(portal)
            }
            fn forget(&self, member_id: &str) -> Option<Portal> {
                (**self).forget(member_id)
            }
        }
    )*};
}

forward_store!(Arc<T>, Box<T>, &T);

/// A [`TokenStore`] in memory, for tests, single-process apps and as a cache.
///
/// Clones share the same portals (it is an `Arc` inside), so hand a clone to each thread or
/// handler. Nothing survives a restart: persist what you need elsewhere.
///
/// ```
/// use bitrix24_events::{ApplicationToken, MemoryTokenStore, Portal, TokenStore};
/// let store = MemoryTokenStore::new();
/// let shared = store.clone();
/// std::thread::spawn(move || shared.store(Portal::new("m1", "x.bitrix24.com", ApplicationToken::new("t1").unwrap())))
///     .join()
///     .unwrap();
/// assert_eq!(store.token("m1"), Some(ApplicationToken::new("t1")?));
/// assert_eq!(store.forget("m1").map(|p| p.domain), Some("x.bitrix24.com".to_owned()));
/// assert!(store.token("m1").is_none());
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct MemoryTokenStore {
    portals: Arc<RwLock<HashMap<String, Portal>>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of everything stored for `member_id`.
    pub fn portal(&self, member_id: &str) -> Option<Portal> {
        self.read(|m| m.get(member_id).cloned())
    }

    /// How many portals are stored.
    pub fn len(&self) -> usize {
        self.read(HashMap::len)
    }

    /// Whether no portal is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // A panic while holding the lock cannot leave the map half-updated (every write is one
    // insert or remove), so a poisoned lock is used as is.
    fn read<R>(&self, f: impl FnOnce(&HashMap<String, Portal>) -> R) -> R {
        f(&self.portals.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn write<R>(&self, f: impl FnOnce(&mut HashMap<String, Portal>) -> R) -> R {
        f(&mut self.portals.write().unwrap_or_else(PoisonError::into_inner))
    }
}

impl TokenStore for MemoryTokenStore {
    fn token(&self, member_id: &str) -> Option<ApplicationToken> {
        self.read(|m| m.get(member_id).map(|p| p.application_token.clone()))
    }

    fn store(&self, portal: Portal) {
        self.write(|m| m.insert(portal.member_id.clone(), portal));
    }

    fn forget(&self, member_id: &str) -> Option<Portal> {
        self.write(|m| m.remove(member_id))
    }
}

/// Lists the portals' member ids and domains, never their tokens.
impl std::fmt::Debug for MemoryTokenStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.read(|m| {
            let mut portals: Vec<_> = m.values().map(|p| (&p.member_id, &p.domain)).collect();
            portals.sort();
            f.debug_struct("MemoryTokenStore").field("portals", &portals).finish()
        })
    }
}
