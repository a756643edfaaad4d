//! Decode, type and verify the events Bitrix24 posts to an application's handler.
//!
//! Bitrix24 (written in PHP) posts every event as an `application/x-www-form-urlencoded` body made
//! by PHP's `http_build_query`, with bracket keys (`auth%5Bmember_id%5D=...`); its docs show the same
//! events as JSON, and some proxies forward JSON. This crate decodes both into one typed model:
//!
//! - [`form`] decodes form bodies exactly as PHP's `parse_str` does (checked against PHP itself),
//!   within [`Limits`] that are errors, not PHP's silent truncation;
//! - [`AnyEvent`] types the sign.b2e e-signature events and the app lifecycle events, and keeps any
//!   other event with its code and data as a [`Value`] tree: an unknown event never fails;
//! - [`Auth`] holds the portal, its `application_token` and the OAuth tokens, which are [`Secret`]s
//!   (`Debug` prints `[redacted]`) and `Option`s, since Bitrix24 leaves them out when no user is
//!   behind the event.
//!
//! ```
//! use bitrix24_events::{AnyEvent, MemberStatus};
//!
//! // What Bitrix24 posts (from the sign.b2e docs, encoded as PHP encodes it).
//! let body = "event=ONSIGNB2EMEMBERSTATUSCHANGED&event_handler_id=1211\
//!     &data%5BmemberUid%5D=2ditmm6vjoolzbygaeua2jltkjb9hgks&data%5BdocumentUid%5D=R-LK-50JI-3AAK-WS1A\
//!     &data%5BstatusCode%5D=done&data%5BstatusName%5D=Signed&ts=1770374945\
//!     &auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585\
//!     &auth%5Bapplication_token%5D=81905784dd6e05280c9a2015e0e61e68";
//!
//! let event: AnyEvent = bitrix24_events::from_body(Some("application/x-www-form-urlencoded"), body.as_bytes())?;
//! match event {
//!     AnyEvent::MemberStatusChanged(e) if e.data.status_code == MemberStatus::Done => {
//!         println!("{} signed {} on {}", e.data.member_uid, e.data.document_uid, e.auth.domain);
//!     }
//!     AnyEvent::Other(e) => println!("not handled: {}", e.event),
//!     _ => {}
//! }
//! # Ok::<(), bitrix24_events::Error>(())
//! ```
//!
//! The same event as JSON decodes to an equal value ([`from_json`]); [`from_body`] chooses by the
//! `Content-Type`. To decode events this crate does not type into your own struct, implement
//! [`EventData`] and decode an [`Event<YourData>`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "actix")]
#[cfg_attr(docsrs, doc(cfg(feature = "actix")))]
pub mod actix;
mod app;
mod auth;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
mod code;
mod de;
mod decode;
mod dedup;
mod edge;
mod endpoint;
mod error;
mod event;
pub mod form;
mod limits;
mod secret;
mod sign;
mod store;
pub mod testkit;
mod tokens;
mod validation;
mod value;
mod verify;
mod wire;

pub use app::{AppInstall, AppUninstall, AppUpdate};
pub use auth::{AppStatus, Auth};
pub use de::{from_value, to_value};
pub use decode::{Decoder, Format, from_body, from_form, from_json};
pub use dedup::DedupKey;
pub use edge::{check_content_length, decode_parts, decode_request, receive, receive_request};
pub use endpoint::{EventConfig, VerifiedEvent};
pub use error::{Error, ErrorKind};
pub use event::{AnyEvent, Event, EventData};
pub use limits::Limits;
pub use secret::Secret;
pub use sign::{DocumentStatus, DocumentStatusChanged, HcmLinkDocumentSigned, MemberStatus, MemberStatusChanged};
pub use store::{MemoryTokenStore, Portal, TokenStore};
pub use tokens::OAuthTokens;
pub use validation::{Action, Decision, InstallRefusal, InstallTrust, Validation};
pub use value::{Array, Key, Value};
pub use verify::ApplicationToken;

/// The README's Rust examples are compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
