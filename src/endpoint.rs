//! Everything an event endpoint needs in one value: the token store, the decoder and the validation
//! rules. The actix and axum extractors take it from the framework's state; a hyper service (or any
//! other) calls [`EventConfig::receive`] itself.

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use crate::{Action, AnyEvent, Decoder, Error, Limits, TokenStore, Validation};

/// The token store, the [`Decoder`] and the [`Validation`] an endpoint uses. Clones share the store.
///
/// ```
/// use std::time::SystemTime;
/// use bitrix24_events::{testkit::EventBuilder, EventConfig, Format, MemoryTokenStore};
///
/// let config = EventConfig::new(MemoryTokenStore::new());
/// let install = EventBuilder::install().request(Format::Form);
/// let verified = config.receive(install.headers(), install.body(), SystemTime::now())?;
/// assert!(verified.event.is("ONAPPINSTALL"));
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone)]
pub struct EventConfig {
    decoder: Decoder,
    validation: Validation,
    store: Arc<dyn TokenStore>,
}

impl EventConfig {
    /// A configuration with this store, the default [`Decoder`] (64 KiB bodies) and the default
    /// [`Validation`].
    pub fn new(store: impl TokenStore + 'static) -> Self {
        Self::with_shared_store(Arc::new(store))
    }

    /// A configuration with a store that is shared with other code.
    pub fn with_shared_store(store: Arc<dyn TokenStore>) -> Self {
        EventConfig { decoder: Decoder::default(), validation: Validation::default(), store }
    }

    /// Replaces the decoder (its limits apply on top of the framework's own body limit).
    pub fn decoder(mut self, decoder: Decoder) -> Self {
        self.decoder = decoder;
        self
    }

    /// Replaces the validation rules.
    pub fn validation(mut self, validation: Validation) -> Self {
        self.validation = validation;
        self
    }

    /// The token store.
    pub fn store(&self) -> &dyn TokenStore {
        &*self.store
    }

    /// The decoder's limits.
    pub fn limits(&self) -> &Limits {
        self.decoder.limits()
    }

    /// Refuses a request whose `Content-Length` is over the body limit, before its body is read.
    pub fn check_content_length(&self, headers: &http::HeaderMap) -> Result<(), Error> {
        crate::check_content_length(headers, self.decoder.limits())
    }

    /// Decodes and verifies a request's body: [`receive`](crate::receive) with this configuration.
    pub fn receive(&self, headers: &http::HeaderMap, body: &[u8], now: SystemTime) -> Result<VerifiedEvent, Error> {
        let (event, action) = crate::receive(headers, body, &self.decoder, &self.validation, &*self.store, now)?;
        Ok(VerifiedEvent { event, action })
    }
}

impl fmt::Debug for EventConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventConfig")
            .field("decoder", &self.decoder)
            .field("validation", &self.validation)
            .finish_non_exhaustive()
    }
}

/// A decoded event that passed [`Validation::receive`], and what was done with the store.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct VerifiedEvent {
    /// The event.
    pub event: AnyEvent,
    /// What the validation did: stored the portal (install, update), forgot it (uninstall) or
    /// verified the event.
    pub action: Action,
}

impl VerifiedEvent {
    /// The event.
    pub fn into_inner(self) -> AnyEvent {
        self.event
    }
}
