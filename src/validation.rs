//! What an event must satisfy to be accepted, and the app lifecycle (install, update, uninstall).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::{AnyEvent, ApplicationToken, Error, ErrorKind, Portal, TokenStore};

/// How far an ONAPPINSTALL or ONAPPUPDATE is trusted.
///
/// **The trust decision.** An install is the one event that cannot be verified by its
/// `application_token`: it is the event that *tells* you the token, and on a first install there is
/// nothing stored to compare it with. Anyone who can reach your handler and knows (or guesses) a
/// portal's `member_id` can post an ONAPPINSTALL with a token of their own. What happens then is
/// what this enum decides:
///
/// - [`InstallTrust::FirstUse`] (the default) accepts the first install of a portal and keeps its
///   token: a later install or update must carry the same token. A forged install can then neither
///   replace a real portal's token nor lock it out, but one that arrives *before* the real install
///   wins (the real one is refused with [`InstallRefusal::TokenChanged`]).
/// - [`InstallTrust::Provisioned`] accepts installs only for portals whose token you stored
///   beforehand ([`Portal::new`] + [`TokenStore::store`]), and only with that token: nothing can be
///   forged, at the price of provisioning every portal out of band (the application token Bitrix24
///   shows for a local app or an outgoing webhook, for example).
/// - [`InstallTrust::Overwrite`] does what Bitrix24's documentation suggests: every install and
///   update replaces the stored token. Nothing is pinned: a forged install or update takes over the
///   portal (its real events then fail, forged ones pass). Use it only behind another check.
///
/// In every mode, [`Validation::allow_domain`] can restrict which portals may install at all. That
/// limits who can fill your store, but the domain is as unsigned as the rest of the body: it does
/// not stop a forged install that names an allowed domain.
///
/// If an uninstall was lost (Bitrix24 never retries), a reinstall carries a new token and is refused
/// under `FirstUse`. Confirm it out of band (for example, call the REST API with the install
/// event's access token and compare the portal), then [`TokenStore::forget`] the portal, or store
/// [`Portal::from_event`] directly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InstallTrust {
    /// Trust on first use: the first install of a portal is stored; any later install or update
    /// must carry the stored token.
    #[default]
    FirstUse,
    /// Only pre-provisioned portals, and only with their provisioned token.
    Provisioned,
    /// Every install and update replaces the stored token (Bitrix24's documented behaviour; no
    /// protection against a forged install).
    Overwrite,
}

/// Why an install or update was refused ([`ErrorKind::InstallRefused`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InstallRefusal {
    /// The portal's domain is not in the allow-list ([`Validation::allow_domain`]).
    DomainNotAllowed,
    /// [`InstallTrust::Provisioned`] and no token is stored for the portal.
    NotProvisioned,
    /// A token is already stored for the portal and the event carries another one.
    TokenChanged,
}

impl fmt::Display for InstallRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InstallRefusal::DomainNotAllowed => "the portal's domain is not in the allow-list",
            InstallRefusal::NotProvisioned => "no application_token was provisioned for the portal",
            InstallRefusal::TokenChanged => "the application_token differs from the one stored for the portal",
        })
    }
}

/// What to do with the store after an event was accepted: what [`Validation::decide`] returns,
/// for stores that are async or can fail. [`Validation::receive`] carries it out itself.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant, reason = "made once per request and consumed at once; a Box would only add noise")]
pub enum Decision {
    /// An accepted ONAPPINSTALL or ONAPPUPDATE: store (insert or replace) this portal.
    Store(Portal),
    /// A verified ONAPPUNINSTALL: delete everything stored for this portal.
    Forget {
        /// The portal's `member_id`.
        member_id: String,
    },
    /// Any other verified event: nothing to store; handle the event.
    Accept,
}

impl Decision {
    /// Carries the decision out on a synchronous store.
    pub fn apply(self, store: &dyn TokenStore) -> Action {
        match self {
            Decision::Store(portal) => {
                let member_id = portal.member_id.clone();
                store.store(portal);
                Action::Stored { member_id }
            }
            Decision::Forget { member_id } => {
                store.forget(&member_id);
                Action::Forgotten { member_id }
            }
            Decision::Accept => Action::Verified,
        }
    }
}

/// What [`Validation::receive`] did with an accepted event.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// An install or update was accepted and the portal stored (its token, and the OAuth tokens
    /// when the event had them).
    Stored {
        /// The portal's `member_id`.
        member_id: String,
    },
    /// An uninstall was verified and the portal forgotten.
    Forgotten {
        /// The portal's `member_id`.
        member_id: String,
    },
    /// The event's `application_token` matched the stored one (and it was fresh enough): handle it.
    Verified,
}

/// What an event must satisfy to be accepted: its `application_token`, optionally its age, and the
/// install policy.
///
/// The defaults are: no age limit (`ts` is unsigned, see [`Validation::max_age`]),
/// [`InstallTrust::FirstUse`], any domain may install.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use bitrix24_events::{Action, AnyEvent, ApplicationToken, MemoryTokenStore, TokenStore, Validation};
///
/// let validation = Validation::new().max_age(Duration::from_secs(600));
/// let store = MemoryTokenStore::new();
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_770_375_000);
///
/// let install: AnyEvent = bitrix24_events::from_form(b"event=ONAPPINSTALL&data%5BVERSION%5D=1\
///     &ts=1770374945&auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t1")?;
/// assert_eq!(validation.receive(&install, &store, now)?, Action::Stored { member_id: "m1".into() });
/// assert_eq!(store.token("m1"), Some(ApplicationToken::new("t1")?));
///
/// let forged: AnyEvent = bitrix24_events::from_form(b"event=ONCRMLEADADD&data%5BID%5D=1\
///     &ts=1770374945&auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t2")?;
/// assert_eq!(validation.receive(&forged, &store, now).unwrap_err().status_code(), 401);
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validation {
    max_age: Option<Duration>,
    max_future_skew: Duration,
    install: InstallTrust,
    allowed_domains: Vec<String>,
}

impl Default for Validation {
    fn default() -> Self {
        Validation::new()
    }
}

impl Validation {
    /// How far ahead of `now` an event's `ts` may be when [`Validation::max_age`] is set: 5 minutes.
    pub const DEFAULT_MAX_FUTURE_SKEW: Duration = Duration::from_secs(300);

    /// The defaults: no age limit, [`InstallTrust::FirstUse`], every domain may install.
    pub fn new() -> Self {
        Validation {
            max_age: None,
            max_future_skew: Self::DEFAULT_MAX_FUTURE_SKEW,
            install: InstallTrust::FirstUse,
            allowed_domains: Vec::new(),
        }
    }

    /// Refuses events whose `ts` is more than `max_age` before `now` (and, then, more than
    /// [`Validation::max_future_skew`] after it) with [`ErrorKind::Stale`]. Whole seconds: `ts` has
    /// no finer resolution. Off by default.
    ///
    /// `ts` is when the portal queued the event, and it is not signed. An age limit narrows the
    /// window in which a captured body can be replayed as is, but it cannot prevent replay: whoever
    /// holds a body can replay it within the window, or change `ts` (the application_token proves
    /// the portal, not the body). Deliveries can also be late when the portal's queue is busy, so
    /// leave room (minutes, not seconds). Combine with [`AnyEvent::dedup_key`] to drop repeats.
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// How far in the future `ts` may be when an age limit is set (clock skew between the portal
    /// and this server). Default [`Validation::DEFAULT_MAX_FUTURE_SKEW`].
    pub fn max_future_skew(mut self, skew: Duration) -> Self {
        self.max_future_skew = skew;
        self
    }

    /// How far installs and updates are trusted (default [`InstallTrust::FirstUse`]).
    pub fn install_trust(mut self, trust: InstallTrust) -> Self {
        self.install = trust;
        self
    }

    /// Adds a domain (`some-domain.bitrix24.com`, compared ignoring ASCII case) to the portals that
    /// may install or update. Once one is added, installs and updates from any other domain are
    /// refused ([`InstallRefusal::DomainNotAllowed`]). Other events are not affected: they are
    /// verified by their token, and a portal may change its domain.
    pub fn allow_domain(mut self, domain: impl Into<String>) -> Self {
        self.allowed_domains.push(domain.into());
        self
    }

    /// Checks one event against the expected token of its portal, which the caller looked up by
    /// `event.auth().member_id` (from any store, async or not), then its age if a
    /// [`Validation::max_age`] is set. Lifecycle events are checked like any other: use
    /// [`Validation::decide`] or [`Validation::receive`] for installs.
    ///
    /// Errors, in this order: [`ErrorKind::UnknownPortal`] when `expected` is `None`;
    /// [`ErrorKind::MissingApplicationToken`] when the event has no (or an empty) token;
    /// [`ErrorKind::TokenMismatch`]; [`ErrorKind::Stale`].
    pub fn check(&self, event: &AnyEvent, expected: Option<&ApplicationToken>, now: SystemTime) -> Result<(), Error> {
        let auth = event.auth();
        let expected = expected.ok_or_else(|| ErrorKind::UnknownPortal { member_id: auth.member_id.clone() })?;
        expected.verify(auth.application_token.as_ref())?;
        self.check_age(event.ts(), now)
    }

    /// Checks `ts` against [`Validation::max_age`] at `now`; always `Ok` when no age limit is set.
    pub fn check_age(&self, ts: u64, now: SystemTime) -> Result<(), Error> {
        let Some(max_age) = self.max_age else { return Ok(()) };
        // A clock before 1970 is treated as 1970: everything is then "from the future".
        let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let (max_age, max_skew) = (max_age.as_secs(), self.max_future_skew.as_secs());
        let too_old = now.saturating_sub(ts) > max_age;
        let too_new = ts.saturating_sub(now) > max_skew;
        if too_old || too_new {
            return Err(ErrorKind::Stale { ts, now, max_age, max_skew }.into());
        }
        Ok(())
    }

    /// Whether `domain` may install (always, when no domain was allowed explicitly).
    fn domain_allowed(&self, domain: &str) -> bool {
        self.allowed_domains.is_empty() || self.allowed_domains.iter().any(|d| d.eq_ignore_ascii_case(domain))
    }

    /// Decides what to do with an event, given the token stored for its portal (`stored`, looked
    /// up by `event.auth().member_id`), without touching any store: for async or fallible stores.
    ///
    /// - ONAPPINSTALL, ONAPPUPDATE: the event must carry an application_token, come from an allowed
    ///   domain and pass the [`InstallTrust`] policy against `stored`, then its age is checked:
    ///   [`Decision::Store`] with [`Portal::from_event`].
    /// - ONAPPUNINSTALL: [`Validation::check`] (by application_token alone): [`Decision::Forget`].
    /// - Every other event: [`Validation::check`]: [`Decision::Accept`].
    ///
    /// ```
    /// # use std::time::SystemTime;
    /// # use bitrix24_events::{AnyEvent, ApplicationToken, Decision, Validation};
    /// # let event: AnyEvent = bitrix24_events::from_form(b"event=ONAPPUNINSTALL&data%5BCLEAN%5D=1\
    /// #     &ts=1&auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t1")?;
    /// // let stored = db.token(&event.auth().member_id).await?;
    /// let stored = Some(ApplicationToken::new("t1")?);
    /// match Validation::new().decide(&event, stored.as_ref(), SystemTime::now())? {
    ///     Decision::Store(portal) => { /* db.save(portal).await? */ }
    ///     Decision::Forget { member_id } => { /* db.delete(&member_id).await? */ }
    ///     _ => { /* handle the event */ }
    /// }
    /// # Ok::<(), bitrix24_events::Error>(())
    /// ```
    pub fn decide(
        &self,
        event: &AnyEvent,
        stored: Option<&ApplicationToken>,
        now: SystemTime,
    ) -> Result<Decision, Error> {
        match event {
            AnyEvent::AppInstall(_) | AnyEvent::AppUpdate(_) => {
                let portal = Portal::from_event(event)?;
                let refused =
                    |reason| Error::from(ErrorKind::InstallRefused { member_id: portal.member_id.clone(), reason });
                if !self.domain_allowed(&portal.domain) {
                    return Err(refused(InstallRefusal::DomainNotAllowed));
                }
                match (self.install, stored) {
                    (InstallTrust::Overwrite, _) | (InstallTrust::FirstUse, None) => {}
                    (InstallTrust::Provisioned, None) => return Err(refused(InstallRefusal::NotProvisioned)),
                    (_, Some(stored)) => {
                        if stored != &portal.application_token {
                            return Err(refused(InstallRefusal::TokenChanged));
                        }
                    }
                }
                self.check_age(event.ts(), now)?;
                Ok(Decision::Store(portal))
            }
            AnyEvent::AppUninstall(e) => {
                self.check(event, stored, now)?;
                Ok(Decision::Forget { member_id: e.auth.member_id.clone() })
            }
            _ => {
                self.check(event, stored, now)?;
                Ok(Decision::Accept)
            }
        }
    }

    /// The whole lifecycle on a synchronous store: looks up the portal's token by
    /// `event.auth().member_id`, [`Validation::decide`]s, and carries the decision out
    /// (stores the portal on an accepted install or update, forgets it on a verified uninstall).
    pub fn receive(&self, event: &AnyEvent, store: &dyn TokenStore, now: SystemTime) -> Result<Action, Error> {
        let stored = store.token(&event.auth().member_id);
        Ok(self.decide(event, stored.as_ref(), now)?.apply(store))
    }
}
