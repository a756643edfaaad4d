//! A stable key to recognize the same event delivered twice.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::value::{Array, Value};
use crate::{AnyEvent, Error, Event};

/// A stable deduplication key: SHA-256 over the portal (`member_id`), the event code in upper case,
/// the handler id and the data, as PHP's `http_build_query` would encode the data.
///
/// Not part of it: the tokens (they change with every access-token refresh and are secrets), `ts`
/// (enqueue time), the domain (a portal may rename itself), and unknown `auth` fields.
///
/// **What it merges:** every delivery of the same data for the same portal, event and handler,
/// whatever its `ts` and tokens and whether it came as form or JSON. That includes a captured body
/// replayed later, and Bitrix24's own repeats: OnSignB2eMemberStatusChanged fires on every internal
/// state change and several states map to `ready`, so the same member status can arrive twice in a
/// row; those repeats carry nothing new and are merged. It also merges a status that comes back
/// after a different one (`ready`, then `wait`, then `ready` again) if your window spans all three:
/// keep the window short, or key on `(key, event.ts())` when recurring states matter.
///
/// **What it keeps apart:** different portals, events, statuses or any other data; the same event
/// sent to two handlers (two `event.bind`s, two handler ids); an old outgoing-webhook body (no
/// handler id) and an app handler's body.
///
/// The key is the same across processes, machines and versions of this crate (the derivation is
/// versioned; a change would be announced as breaking), so it can be stored in Redis or a database.
/// `Display` is 64 lowercase hex digits. The derivation, to reproduce it elsewhere: SHA-256 over
/// five fields, each preceded by its length in bytes as a little-endian `u64`:
/// `bitrix24-events dedup v1`; `member_id`; the event code in ASCII upper case; the handler id as
/// a little-endian `u64` (an empty field when absent); `http_build_query(['data' => $data])`.
///
/// ```
/// use bitrix24_events::AnyEvent;
/// let a: AnyEvent = bitrix24_events::from_form(b"event=ONCRMLEADADD&event_handler_id=7&data%5BFIELDS%5D%5BID%5D=365\
///     &ts=1545851621&auth%5Bdomain%5D=d&auth%5Bmember_id%5D=m&auth%5Baccess_token%5D=a1")?;
/// let b: AnyEvent = bitrix24_events::from_json(br#"{"event":"OnCrmLeadAdd","event_handler_id":7,
///     "data":{"FIELDS":{"ID":365}},"ts":1545851999,"auth":{"domain":"d","member_id":"m","access_token":"a2"}}"#)?;
/// assert_eq!(a.dedup_key(), b.dedup_key());
/// assert_eq!(a.dedup_key().to_string().len(), 64);
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DedupKey([u8; 32]);

impl DedupKey {
    /// The 32 bytes of the key.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn derive(member_id: &str, code: &str, handler: Option<u64>, data: Value) -> DedupKey {
        let mut wrapped = Array::new();
        wrapped.insert("data", data);
        let data = crate::form::encode(&Value::Array(wrapped));
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        field(b"bitrix24-events dedup v1");
        field(member_id.as_bytes());
        field(code.to_ascii_uppercase().as_bytes());
        match handler {
            Some(id) => field(&id.to_le_bytes()),
            None => field(b""),
        }
        field(data.as_bytes());
        DedupKey(h.finalize().into())
    }
}

impl fmt::Display for DedupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for DedupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DedupKey({self})")
    }
}

impl<D: Serialize> Event<D> {
    /// The event's [`DedupKey`]. Fails only if `D`'s `Serialize` fails (never for this crate's
    /// types).
    pub fn dedup_key(&self) -> Result<DedupKey, Error> {
        let data = crate::to_value(&self.data)?;
        Ok(DedupKey::derive(&self.auth.member_id, &self.event, self.event_handler_id, data))
    }
}

impl AnyEvent {
    /// The event's [`DedupKey`]: equal for repeats of the same event, different for different data
    /// (another status, another document, another portal).
    pub fn dedup_key(&self) -> DedupKey {
        // The typed data of this crate are strings, numbers and flags: serializing them cannot fail.
        crate::event::each!(self, e => e.dedup_key()).expect("event data of this crate always serializes")
    }
}
