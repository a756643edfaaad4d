//! The event envelope and the dispatching [`AnyEvent`].

use std::fmt;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::app::{AppInstall, AppUninstall, AppUpdate};
use crate::sign::{DocumentStatusChanged, HcmLinkDocumentSigned, MemberStatusChanged};
use crate::value::{Array, Value};
use crate::{Auth, Error};

/// The data of one kind of event.
///
/// Implement it for your own data types to decode events this crate does not type:
/// ```
/// use bitrix24_events::{Event, EventData};
/// #[derive(serde::Deserialize)]
/// struct ContactAdd { #[serde(rename = "FIELDS")] fields: Fields }
/// #[derive(serde::Deserialize)]
/// struct Fields { #[serde(rename = "ID")] id: String }
/// impl EventData for ContactAdd { const CODE: Option<&'static str> = Some("ONCRMCONTACTADD"); }
///
/// let body = b"event=ONCRMCONTACTADD&data%5BFIELDS%5D%5BID%5D=134806&ts=1727018926\
///              &auth%5Bdomain%5D=x.bitrix24.com&auth%5Bmember_id%5D=m1";
/// let event: Event<ContactAdd> = bitrix24_events::from_form(body)?;
/// assert_eq!(event.data.fields.id, "134806");
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
pub trait EventData {
    /// The event code as Bitrix24 sends it (upper case), or `None` for data that fits any event.
    /// Decoding an [`Event<Self>`] checks it, ignoring case.
    const CODE: Option<&'static str>;

    /// The data of a body without a `data` key (PHP's `http_build_query` leaves an empty array
    /// out), or `None` when such a body is an error. The default is `None`.
    fn when_absent() -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
}

impl EventData for Value {
    const CODE: Option<&'static str> = None;

    fn when_absent() -> Option<Self> {
        Some(Value::Array(Array::new()))
    }
}

/// One event: the envelope Bitrix24 posts, with typed `data`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Event<D> {
    /// The event code as received (`ONSIGNB2EMEMBERSTATUSCHANGED`); compare with [`Event::is`].
    pub event: String,
    /// The handler's id; absent in old outgoing-webhook bodies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_handler_id: Option<u64>,
    /// The event's data.
    pub data: D,
    /// When the portal queued the event (unix seconds). Not signed, not the delivery time.
    pub ts: u64,
    /// Which portal sent it, its application_token and any OAuth tokens.
    pub auth: Auth,
}

impl<D> Event<D> {
    /// Builds an event.
    pub fn new(event: impl Into<String>, data: D, ts: u64, auth: Auth) -> Self {
        Event { event: event.into(), event_handler_id: None, data, ts, auth }
    }

    /// Whether the event code is `code`, ignoring ASCII case
    /// (`OnSignB2eMemberStatusChanged` is `ONSIGNB2EMEMBERSTATUSCHANGED`).
    pub fn is(&self, code: &str) -> bool {
        self.event.eq_ignore_ascii_case(code)
    }

    /// The same event with every token replaced by `[redacted]`, safe to log or serialize.
    pub fn redacted(&self) -> Self
    where
        D: Clone,
    {
        Event { auth: self.auth.redacted(), ..self.clone() }
    }

    /// Changes the data, keeping the envelope.
    pub fn map<E>(self, f: impl FnOnce(D) -> E) -> Event<E> {
        Event {
            event: self.event,
            event_handler_id: self.event_handler_id,
            data: f(self.data),
            ts: self.ts,
            auth: self.auth,
        }
    }
}

/// Any event: the known ones typed, every other one kept with its code and data as a tree.
///
/// Decoding never fails because an event is unknown:
/// ```
/// use bitrix24_events::AnyEvent;
/// let body = b"event=ONCRMLEADADD&data%5BFIELDS%5D%5BID%5D=365&ts=1545851621\
///              &auth%5Bdomain%5D=b24-46hovy.bitrix24.ru&auth%5Bmember_id%5D=1b87";
/// match bitrix24_events::from_form::<AnyEvent>(body)? {
///     AnyEvent::Other(event) => {
///         assert_eq!(event.event, "ONCRMLEADADD");
///         assert_eq!(event.data.pointer(&["FIELDS", "ID"]).and_then(|v| v.as_str()), Some("365"));
///     }
///     other => panic!("unexpected {other:?}"),
/// }
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum AnyEvent {
    /// OnSignB2eMemberStatusChanged.
    MemberStatusChanged(Event<MemberStatusChanged>),
    /// OnSignB2eDocumentStatusChanged.
    DocumentStatusChanged(Event<DocumentStatusChanged>),
    /// OnSignHcmLinkB2eDocumentSigned.
    HcmLinkDocumentSigned(Event<HcmLinkDocumentSigned>),
    /// ONAPPINSTALL.
    AppInstall(Event<AppInstall>),
    /// ONAPPUPDATE.
    AppUpdate(Event<AppUpdate>),
    /// ONAPPUNINSTALL.
    AppUninstall(Event<AppUninstall>),
    /// Any other event, its data as decoded.
    Other(Event<Value>),
}

/// Applies an expression to the `Event<_>` inside whichever variant.
macro_rules! each {
    ($self:expr, $e:ident => $body:expr) => {
        match $self {
            AnyEvent::MemberStatusChanged($e) => $body,
            AnyEvent::DocumentStatusChanged($e) => $body,
            AnyEvent::HcmLinkDocumentSigned($e) => $body,
            AnyEvent::AppInstall($e) => $body,
            AnyEvent::AppUpdate($e) => $body,
            AnyEvent::AppUninstall($e) => $body,
            AnyEvent::Other($e) => $body,
        }
    };
}

pub(crate) use each;

impl AnyEvent {
    /// The event code as received.
    pub fn code(&self) -> &str {
        each!(self, e => &e.event)
    }

    /// The `auth` block.
    pub fn auth(&self) -> &Auth {
        each!(self, e => &e.auth)
    }

    /// The handler id, when the body has one.
    pub fn event_handler_id(&self) -> Option<u64> {
        each!(self, e => e.event_handler_id)
    }

    /// When the portal queued the event (unix seconds).
    pub fn ts(&self) -> u64 {
        each!(self, e => e.ts)
    }

    /// Whether the event code is `code`, ignoring ASCII case.
    pub fn is(&self, code: &str) -> bool {
        self.code().eq_ignore_ascii_case(code)
    }

    /// Whether this is an event this version does not type.
    pub fn is_other(&self) -> bool {
        matches!(self, AnyEvent::Other(_))
    }

    /// The same event with every token replaced by `[redacted]`, safe to log or serialize.
    pub fn redacted(&self) -> AnyEvent {
        let mut copy = self.clone();
        each!(&mut copy, e => e.auth = e.auth.redacted());
        copy
    }
}

/// The name under which the envelope asks a deserializer for a struct; the tree deserializer
/// recognizes it and hands out `event` first, so `data` can be typed without buffering.
pub(crate) const ENVELOPE: &str = "$bitrix24_events::Envelope";
const ENVELOPE_FIELDS: &[&str] = &["event", "event_handler_id", "data", "ts", "auth"];

enum EnvField {
    Event,
    HandlerId,
    Data,
    Ts,
    Auth,
    Other,
}

impl<'de> Deserialize<'de> for EnvField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = EnvField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an envelope field")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EnvField, E> {
                Ok(match v {
                    "event" => EnvField::Event,
                    "event_handler_id" => EnvField::HandlerId,
                    "data" => EnvField::Data,
                    "ts" => EnvField::Ts,
                    "auth" => EnvField::Auth,
                    _ => EnvField::Other,
                })
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<EnvField, E> {
                Ok(EnvField::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<EnvField, E> {
                Ok(EnvField::Other)
            }
        }
        d.deserialize_identifier(V)
    }
}

/// Reads the envelope; `read_data` deserializes `data`, given the event code when it came first.
fn visit_envelope<'de, A, D>(
    mut map: A,
    expected: Option<&'static str>,
    mut read_data: impl FnMut(Option<&str>, &mut A) -> Result<D, A::Error>,
    no_data: impl FnOnce(&str) -> Option<D>,
) -> Result<Event<D>, A::Error>
where
    A: MapAccess<'de>,
{
    let (mut event, mut handler, mut data, mut ts, mut auth) = (None::<String>, None, None, None, None);
    while let Some(field) = map.next_key::<EnvField>()? {
        match field {
            EnvField::Event => {
                if event.is_some() {
                    return Err(de::Error::duplicate_field("event"));
                }
                event = Some(map.next_value_seed(CodeSeed(expected))?);
            }
            EnvField::HandlerId => handler = map.next_value_seed(crate::wire::opt_number::Seed)?,
            EnvField::Data => data = Some(read_data(event.as_deref(), &mut map)?),
            EnvField::Ts => ts = Some(map.next_value_seed(crate::wire::number::Seed)?),
            EnvField::Auth => auth = Some(map.next_value::<Auth>()?),
            EnvField::Other => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    let event = event.ok_or_else(|| de::Error::missing_field("event"))?;
    // PHP's http_build_query leaves an empty `data` array out of the body altogether.
    let data = match data {
        Some(data) => data,
        None => no_data(&event).ok_or_else(|| de::Error::missing_field("data"))?,
    };
    Ok(Event {
        event,
        event_handler_id: handler,
        data,
        ts: ts.ok_or_else(|| de::Error::missing_field("ts"))?,
        auth: auth.ok_or_else(|| de::Error::missing_field("auth"))?,
    })
}

/// Reads the event code, checking it against the code the caller asked for (ignoring case), so a
/// mismatch is reported at the key `event`.
struct CodeSeed(Option<&'static str>);

impl<'de> de::DeserializeSeed<'de> for CodeSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        let code = crate::wire::text::deserialize(d)?;
        match self.0 {
            Some(expected) if !expected.eq_ignore_ascii_case(&code) => {
                // Like every message, this one does not quote the body.
                Err(de::Error::custom(format_args!("expected event {expected}, found another event")))
            }
            _ => Ok(code),
        }
    }
}

impl<'de, D: EventData + Deserialize<'de>> Deserialize<'de> for Event<D> {
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        struct V<D>(std::marker::PhantomData<D>);
        impl<'de, D: EventData + Deserialize<'de>> Visitor<'de> for V<D> {
            type Value = Event<D>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Bitrix24 event")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Event<D>, A::Error> {
                visit_envelope(map, D::CODE, |_, map: &mut A| map.next_value::<D>(), |_| D::when_absent())
            }
        }
        d.deserialize_struct(ENVELOPE, ENVELOPE_FIELDS, V(std::marker::PhantomData))
    }
}

/// `data` of an [`AnyEvent`] while the envelope is read.
enum AnyData {
    Member(MemberStatusChanged),
    Document(DocumentStatusChanged),
    Hcm(HcmLinkDocumentSigned),
    Install(AppInstall),
    Update(AppUpdate),
    Uninstall(AppUninstall),
    /// An unknown event's data, or data that came before the event code.
    Tree(Value),
}

/// Which known event a code names.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Member,
    Document,
    Hcm,
    Install,
    Update,
    Uninstall,
    Other,
}

fn kind_of(code: &str) -> Kind {
    let is = |c: Option<&str>| c.is_some_and(|c| c.eq_ignore_ascii_case(code));
    if is(MemberStatusChanged::CODE) {
        Kind::Member
    } else if is(DocumentStatusChanged::CODE) {
        Kind::Document
    } else if is(HcmLinkDocumentSigned::CODE) {
        Kind::Hcm
    } else if is(AppInstall::CODE) {
        Kind::Install
    } else if is(AppUpdate::CODE) {
        Kind::Update
    } else if is(AppUninstall::CODE) {
        Kind::Uninstall
    } else {
        Kind::Other
    }
}

fn read_any<'de, A: MapAccess<'de>>(kind: Kind, map: &mut A) -> Result<AnyData, A::Error> {
    Ok(match kind {
        Kind::Member => AnyData::Member(map.next_value()?),
        Kind::Document => AnyData::Document(map.next_value()?),
        Kind::Hcm => AnyData::Hcm(map.next_value()?),
        Kind::Install => AnyData::Install(map.next_value()?),
        Kind::Update => AnyData::Update(map.next_value()?),
        Kind::Uninstall => AnyData::Uninstall(map.next_value()?),
        Kind::Other => AnyData::Tree(map.next_value()?),
    })
}

fn typed<T: DeserializeOwned, E: de::Error>(tree: Value) -> Result<T, E> {
    crate::de::from_value(tree).map_err(|e: Error| E::custom(format_args!("data: {e}")))
}

impl<'de> Deserialize<'de> for AnyEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = AnyEvent;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Bitrix24 event")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<AnyEvent, A::Error> {
                let event = visit_envelope(
                    map,
                    None,
                    |code, map: &mut A| match code {
                        Some(code) => read_any(kind_of(code), map),
                        // `data` before `event` (only in hand-made JSON): keep it as a tree for now.
                        None => Ok(AnyData::Tree(map.next_value()?)),
                    },
                    // An event this crate does not type may have empty data; the known ones never do.
                    |code| (kind_of(code) == Kind::Other).then(|| AnyData::Tree(Value::Array(Array::new()))),
                )?;
                let kind = kind_of(&event.event);
                let Event { event: code, event_handler_id, data, ts, auth } = event;
                let head = Event { event: code, event_handler_id, data: (), ts, auth };
                macro_rules! env {
                    ($d:expr) => {{
                        let d = $d;
                        head.map(|()| d)
                    }};
                }
                Ok(match (kind, data) {
                    (Kind::Member, AnyData::Member(d)) => AnyEvent::MemberStatusChanged(env!(d)),
                    (Kind::Document, AnyData::Document(d)) => AnyEvent::DocumentStatusChanged(env!(d)),
                    (Kind::Hcm, AnyData::Hcm(d)) => AnyEvent::HcmLinkDocumentSigned(env!(d)),
                    (Kind::Install, AnyData::Install(d)) => AnyEvent::AppInstall(env!(d)),
                    (Kind::Update, AnyData::Update(d)) => AnyEvent::AppUpdate(env!(d)),
                    (Kind::Uninstall, AnyData::Uninstall(d)) => AnyEvent::AppUninstall(env!(d)),
                    (Kind::Member, AnyData::Tree(t)) => AnyEvent::MemberStatusChanged(env!(typed(t)?)),
                    (Kind::Document, AnyData::Tree(t)) => AnyEvent::DocumentStatusChanged(env!(typed(t)?)),
                    (Kind::Hcm, AnyData::Tree(t)) => AnyEvent::HcmLinkDocumentSigned(env!(typed(t)?)),
                    (Kind::Install, AnyData::Tree(t)) => AnyEvent::AppInstall(env!(typed(t)?)),
                    (Kind::Update, AnyData::Tree(t)) => AnyEvent::AppUpdate(env!(typed(t)?)),
                    (Kind::Uninstall, AnyData::Tree(t)) => AnyEvent::AppUninstall(env!(typed(t)?)),
                    (Kind::Other, AnyData::Tree(t)) => AnyEvent::Other(env!(t)),
                    // `event` can be given once only, so data typed by it always matches.
                    _ => return Err(de::Error::custom("event code changed while decoding")),
                })
            }
        }
        d.deserialize_struct(ENVELOPE, ENVELOPE_FIELDS, V)
    }
}
