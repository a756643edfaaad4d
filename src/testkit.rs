//! Builds event bodies exactly as Bitrix24 sends them, so you can test your own handlers without
//! a portal.
//!
//! Form bodies are PHP's `http_build_query` of the event (made by [`form::to_string`](crate::form::to_string):
//! Bitrix24's key order, `%5B`/`%5D` brackets, `+` for a space, `null` left out, booleans as `1`/`0`,
//! every number as text). JSON bodies are what a proxy in front of the handler would forward: the
//! array PHP decodes the form body into, byte for byte as `json_encode($_POST, JSON_FORCE_OBJECT |
//! JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)` writes it (every value a string, as in the
//! docs' renderings). The crate's tests check both against PHP on generated events.
//!
//! [`EventBuilder`] starts from a realistic event with fixed, recognisable defaults (portal
//! [`DEFAULT_DOMAIN`] / [`DEFAULT_MEMBER_ID`], application token [`DEFAULT_APPLICATION_TOKEN`], time
//! [`DEFAULT_TS`]) and lets you change any part of it:
//!
//! ```
//! use bitrix24_events::testkit::{self, EventBuilder};
//! use bitrix24_events::{AnyEvent, MemberStatus};
//!
//! let builder = EventBuilder::member_status_changed(MemberStatus::Done)
//!     .member_id("60133c09d1f5d0fd6d7884a11fad4585")
//!     .application_token("81905784dd6e05280c9a2015e0e61e68")
//!     .without_tokens();
//! let body = builder.form_body();
//! assert!(body.starts_with("event=ONSIGNB2EMEMBERSTATUSCHANGED&event_handler_id=1&data%5BmemberUid%5D="));
//! assert!(!body.contains("access_token"));
//!
//! // What your handler would decode, from either encoding:
//! let from_form: AnyEvent = bitrix24_events::from_body(Some(testkit::FORM_CONTENT_TYPE), body.as_bytes())?;
//! let from_json: AnyEvent = bitrix24_events::from_body(Some(testkit::JSON_CONTENT_TYPE), builder.json_body().as_bytes())?;
//! assert_eq!(from_form, from_json);
//! assert_eq!(from_form.auth().member_id, "60133c09d1f5d0fd6d7884a11fad4585");
//! # Ok::<(), bitrix24_events::Error>(())
//! ```
//!
//! The module is always compiled: it has no dependency of its own, the crate's examples use it, and
//! a test-only feature would have to be switched on in every user's `dev-dependencies`. Nothing in
//! it is needed, or used, when receiving real events.

use serde::Serialize;

use crate::value::{Array, Key, Value};
use crate::{
    AnyEvent, AppInstall, AppStatus, AppUninstall, AppUpdate, Auth, DocumentStatus, DocumentStatusChanged, Error,
    Event, Format, HcmLinkDocumentSigned, Limits, MemberStatus, MemberStatusChanged, Secret,
};

/// The `Content-Type` Bitrix24 sends with a form body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";
/// The `Content-Type` of a JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json";
/// The `User-Agent` Bitrix24's queue server usually sends (undocumented: never rely on it).
pub const USER_AGENT: &str = "Bitrix24 Webhook Engine";
/// The path [`EventBuilder::request`] posts to (the crate's example servers serve it).
pub const DEFAULT_PATH: &str = "/bitrix24/events";

/// The default portal host.
pub const DEFAULT_DOMAIN: &str = "example.bitrix24.com";
/// The default portal identifier (`auth[member_id]`).
pub const DEFAULT_MEMBER_ID: &str = "0123456789abcdef0123456789abcdef";
/// The default `auth[application_token]`.
pub const DEFAULT_APPLICATION_TOKEN: &str = "51a7e0c2d9b84f3e8a6c1d0f2b3e4a59";
/// The default `auth[access_token]` (when the event has OAuth tokens).
pub const DEFAULT_ACCESS_TOKEN: &str = "acce55acce55acce55acce55acce55ac";
/// The default `auth[refresh_token]` (when the event has OAuth tokens).
pub const DEFAULT_REFRESH_TOKEN: &str = "4ef4e54ef4e54ef4e54ef4e54ef4e54e";
/// The default `ts` (the sign.b2e docs' example event); `auth[expires]` is one hour later.
pub const DEFAULT_TS: u64 = 1_770_374_945;
/// The default OAuth server.
pub const DEFAULT_SERVER_ENDPOINT: &str = "https://oauth.bitrix.info/rest/";

/// Encodes an event (an [`AnyEvent`], an [`Event`], a [`Value`] tree) as the form body Bitrix24
/// would post: [`form::to_string`](crate::form::to_string), i.e. PHP's `http_build_query`.
pub fn form_body<T: Serialize + ?Sized>(event: &T) -> Result<String, Error> {
    crate::form::to_string(event)
}

/// Encodes an event as the JSON body a proxy would forward: the array PHP decodes the form body
/// into (so every value is a string, `null` is gone and PHP's key rules applied), as
/// `json_encode($_POST, JSON_FORCE_OBJECT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE)`.
pub fn json_body<T: Serialize + ?Sized>(event: &T) -> Result<String, Error> {
    json_of_form(&form_body(event)?)
}

/// Encodes an event in `format`: the body and its `Content-Type`.
pub fn body<T: Serialize + ?Sized>(event: &T, format: Format) -> Result<(&'static str, String), Error> {
    match format {
        Format::Form => Ok((FORM_CONTENT_TYPE, form_body(event)?)),
        Format::Json => Ok((JSON_CONTENT_TYPE, json_body(event)?)),
    }
}

/// The `Content-Type` for a format.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Form => FORM_CONTENT_TYPE,
        Format::Json => JSON_CONTENT_TYPE,
    }
}

/// A `POST` of `body` to `path` as Bitrix24 sends it (`Content-Type`, `Content-Length`,
/// `User-Agent`), for frameworks' test utilities or your own `tower::Service`.
pub fn request(path: &str, content_type: &str, body: impl Into<Vec<u8>>) -> http::Request<Vec<u8>> {
    let body = body.into();
    let mut request = http::Request::new(Vec::new());
    *request.method_mut() = http::Method::POST;
    // An unparsable path is a bug in the test itself; keep `/` rather than panicking.
    *request.uri_mut() = path.parse().unwrap_or_default();
    let headers = request.headers_mut();
    if let Ok(value) = http::HeaderValue::from_str(content_type) {
        headers.insert(http::header::CONTENT_TYPE, value);
    }
    headers.insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(body.len()));
    headers.insert(http::header::USER_AGENT, http::HeaderValue::from_static(USER_AGENT));
    *request.body_mut() = body;
    request
}

/// Limits for re-reading our own output: none in practice (a test may build a body over the
/// server's limit on purpose).
fn unlimited() -> Limits {
    Limits { max_body_bytes: usize::MAX, max_pairs: usize::MAX, max_depth: usize::MAX }
}

fn json_of_form(form: &str) -> Result<String, Error> {
    let tree = crate::form::decode_with(form.as_bytes(), &unlimited())?;
    serde_json::to_string(&tree).map_err(|e| Error::invalid(format!("cannot write JSON: {e}")))
}

/// Builds one event as Bitrix24 would post it, with realistic defaults.
///
/// Every constructor starts from the same envelope: `event_handler_id` 1, `ts` [`DEFAULT_TS`], and an
/// `auth` block for portal [`DEFAULT_DOMAIN`] / [`DEFAULT_MEMBER_ID`] with application token
/// [`DEFAULT_APPLICATION_TOKEN`], app status `L`, the endpoints, and OAuth tokens of user 1
/// (`access_token`, `expires` = `ts` + 3600, `expires_in` 3600, `scope`, `user_id`, `refresh_token`),
/// except [`EventBuilder::uninstall`], which like the real event has none. Fields come out in
/// Bitrix24's order whatever order you set them in.
///
/// ```
/// use bitrix24_events::testkit::EventBuilder;
/// use bitrix24_events::{AnyEvent, Value};
///
/// let install = EventBuilder::install().member_id("m1").application_token("t1");
/// assert!(matches!(install.decode::<AnyEvent>()?, AnyEvent::AppInstall(_)));
///
/// // Any other event, with data of your own, and a body that is broken on purpose:
/// let lead = EventBuilder::new("ONCRMLEADADD").data_value(Value::Array([("FIELDS", Value::Array([("ID", Value::from("365"))].into_iter().collect()))].into_iter().collect()));
/// assert_eq!(lead.form_body().split('&').nth(2), Some("data%5BFIELDS%5D%5BID%5D=365"));
/// let broken = lead.clone().remove(&["auth", "member_id"]);
/// assert_eq!(broken.decode::<AnyEvent>().unwrap_err().path(), Some("auth[member_id]"));
/// # Ok::<(), bitrix24_events::Error>(())
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct EventBuilder {
    code: String,
    event_handler_id: Option<u64>,
    data: Value,
    ts: u64,
    auth: Auth,
    /// Whether `expires` follows `ts` (until set explicitly).
    expires_follows_ts: bool,
    /// Whether `client_endpoint` follows `domain` (until set explicitly).
    endpoint_follows_domain: bool,
    /// Raw edits applied to the finished tree, in order.
    edits: Vec<(Vec<String>, Option<Value>)>,
}

impl EventBuilder {
    /// Any event code, with empty `data` (set it with [`EventBuilder::data`] or
    /// [`EventBuilder::set`]). Like every empty array, empty `data` is left out of the body, as
    /// `http_build_query` leaves it out.
    pub fn new(code: impl Into<String>) -> Self {
        EventBuilder {
            code: code.into(),
            event_handler_id: Some(1),
            data: Value::Array(Array::new()),
            ts: DEFAULT_TS,
            auth: default_auth(),
            expires_follows_ts: true,
            endpoint_follows_domain: true,
            edits: Vec::new(),
        }
    }

    /// OnSignB2eMemberStatusChanged for a participant reaching `status` (`statusName` is `Signed`
    /// for [`MemberStatus::Done`], empty otherwise, as Bitrix24 allows).
    pub fn member_status_changed(status: MemberStatus) -> Self {
        let mut data = MemberStatusChanged::new("2ditmm6vjoolzbygaeua2jltkjb9hgks", "R-LK-50JI-3AAK-WS1A", status);
        if data.status_code == MemberStatus::Done {
            data.status_name = "Signed".into();
        }
        Self::typed("ONSIGNB2EMEMBERSTATUSCHANGED", &data)
    }

    /// OnSignB2eDocumentStatusChanged for a document reaching `status`.
    pub fn document_status_changed(status: DocumentStatus) -> Self {
        let mut data = DocumentStatusChanged::new("R-LK-50JI-3AAK-WS1A", status);
        data.status_name = match data.status_code {
            DocumentStatus::Signing => "Signing in progress".into(),
            DocumentStatus::Done => "Signed".into(),
            _ => String::new(),
        };
        Self::typed("ONSIGNB2EDOCUMENTSTATUSCHANGED", &data)
    }

    /// OnSignHcmLinkB2eDocumentSigned for member `id` of HCM Link company `company`.
    pub fn hcm_link_document_signed(id: u64, company: impl Into<String>) -> Self {
        Self::typed("ONSIGNHCMLINKB2EDOCUMENTSIGNED", &HcmLinkDocumentSigned::new(id, company))
    }

    /// ONAPPINSTALL of version 1, active and installed, language `en`. Its application token is the
    /// one a handler stores for the portal.
    pub fn install() -> Self {
        let mut data = AppInstall::new(1);
        data.language_id = Some("en".into());
        Self::typed("ONAPPINSTALL", &data)
    }

    /// ONAPPUPDATE from version 1 to 2, language `en`.
    pub fn update() -> Self {
        let mut data = AppUpdate::new(2, 1);
        data.language_id = Some("en".into());
        Self::typed("ONAPPUPDATE", &data)
    }

    /// ONAPPUNINSTALL without `CLEAN` (set `.set(&["data", "CLEAN"], "1")` for it), language `en`,
    /// and, as the real event, without OAuth tokens.
    pub fn uninstall() -> Self {
        let mut data = AppUninstall::new(false);
        data.language_id = Some("en".into());
        Self::typed("ONAPPUNINSTALL", &data).without_tokens()
    }

    /// Starts from an existing event (typed or [`AnyEvent`]): its code, handler id, data, time and
    /// auth block, tokens included.
    pub fn from_event<D: Serialize>(event: &Event<D>) -> Self {
        let mut builder = Self::new(event.event.clone()).data(&event.data);
        builder.event_handler_id = event.event_handler_id;
        builder.ts = event.ts;
        builder.auth = event.auth.clone();
        builder.expires_follows_ts = false;
        builder.endpoint_follows_domain = false;
        builder
    }

    /// Starts from any decoded event; see [`EventBuilder::from_event`].
    pub fn from_any(event: &AnyEvent) -> Self {
        match event {
            AnyEvent::MemberStatusChanged(e) => Self::from_event(e),
            AnyEvent::DocumentStatusChanged(e) => Self::from_event(e),
            AnyEvent::HcmLinkDocumentSigned(e) => Self::from_event(e),
            AnyEvent::AppInstall(e) => Self::from_event(e),
            AnyEvent::AppUpdate(e) => Self::from_event(e),
            AnyEvent::AppUninstall(e) => Self::from_event(e),
            AnyEvent::Other(e) => Self::from_event(e),
        }
    }

    fn typed<D: Serialize>(code: &str, data: &D) -> Self {
        Self::new(code).data(data)
    }

    /// Replaces the event code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = code.into();
        self
    }

    /// Replaces `data` with any serializable value (one of the crate's data types, your own struct,
    /// a [`Value`]).
    ///
    /// # Panics
    /// When `data` cannot be represented as a PHP value (a map with keys that are not strings or
    /// integers, say): a bug in the test, not in what it tests.
    pub fn data<T: Serialize + ?Sized>(self, data: &T) -> Self {
        match crate::to_value(data) {
            Ok(value) => self.data_value(value),
            Err(e) => panic!("testkit: data cannot be encoded as Bitrix24 would: {e}"),
        }
    }

    /// Replaces `data` with a tree.
    pub fn data_value(mut self, data: Value) -> Self {
        self.data = data;
        self
    }

    /// Sets `event_handler_id`.
    pub fn event_handler_id(mut self, id: u64) -> Self {
        self.event_handler_id = Some(id);
        self
    }

    /// Leaves `event_handler_id` out, as old outgoing-webhook bodies do.
    pub fn without_event_handler_id(mut self) -> Self {
        self.event_handler_id = None;
        self
    }

    /// Sets `ts` (unix seconds); `auth[expires]`, unless set, stays one hour later.
    pub fn ts(mut self, ts: u64) -> Self {
        self.ts = ts;
        self
    }

    /// Sets `auth[domain]`; `auth[client_endpoint]`, unless set, follows it.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.auth.domain = domain.into();
        self
    }

    /// Sets `auth[member_id]`, the portal's identifier.
    pub fn member_id(mut self, member_id: impl Into<String>) -> Self {
        self.auth.member_id = member_id.into();
        self
    }

    /// Sets `auth[application_token]`.
    pub fn application_token(mut self, token: impl Into<String>) -> Self {
        self.auth.application_token = Some(Secret::new(token));
        self
    }

    /// Leaves `auth[application_token]` out.
    pub fn without_application_token(mut self) -> Self {
        self.auth.application_token = None;
        self
    }

    /// Sets `auth[access_token]`, adding `expires`, `expires_in` and `user_id` when absent.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.auth.access_token = Some(Secret::new(token));
        self.auth.expires_in = self.auth.expires_in.or(Some(3600));
        self.auth.user_id = self.auth.user_id.or(Some(1));
        if self.auth.expires.is_none() {
            self.expires_follows_ts = true;
        }
        self
    }

    /// Sets `auth[refresh_token]`.
    pub fn refresh_token(mut self, token: impl Into<String>) -> Self {
        self.auth.refresh_token = Some(Secret::new(token));
        self
    }

    /// Leaves the OAuth tokens out, as Bitrix24 does when no user is behind the event (sign.b2e
    /// events, usually; ONAPPUNINSTALL, always): `access_token`, `expires`, `expires_in`, `user_id`
    /// and `refresh_token`. The `application_token` stays (see
    /// [`EventBuilder::without_application_token`]).
    pub fn without_tokens(mut self) -> Self {
        self.auth.access_token = None;
        self.auth.expires = None;
        self.auth.expires_in = None;
        self.auth.user_id = None;
        self.auth.refresh_token = None;
        self.expires_follows_ts = false;
        self
    }

    /// Sets `auth[user_id]`.
    pub fn user_id(mut self, user_id: u64) -> Self {
        self.auth.user_id = Some(user_id);
        self
    }

    /// Sets `auth[scope]`.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.auth.scope = Some(scope.into());
        self
    }

    /// Sets `auth[status]`.
    pub fn status(mut self, status: AppStatus) -> Self {
        self.auth.status = Some(status);
        self
    }

    /// Replaces the whole `auth` block.
    pub fn auth(mut self, auth: Auth) -> Self {
        self.auth = auth;
        self.expires_follows_ts = false;
        self.endpoint_follows_domain = false;
        self
    }

    /// Sets any value in the finished tree, after everything else (`&["auth", "client_id"]`,
    /// `&["data", "FIELDS", "ID"]`): an existing key keeps its place, a new one is added at the end
    /// of its array, missing arrays on the way are created. An empty path is ignored.
    pub fn set(mut self, path: &[&str], value: impl Into<Value>) -> Self {
        self.edits.push((path.iter().map(|s| (*s).to_owned()).collect(), Some(value.into())));
        self
    }

    /// Removes a value from the finished tree (to build a malformed event on purpose).
    pub fn remove(mut self, path: &[&str]) -> Self {
        self.edits.push((path.iter().map(|s| (*s).to_owned()).collect(), None));
        self
    }

    /// The auth block as it will be posted.
    fn final_auth(&self) -> Auth {
        let mut auth = self.auth.clone();
        if self.expires_follows_ts && auth.access_token.is_some() {
            auth.expires = Some(self.ts.saturating_add(auth.expires_in.unwrap_or(3600)));
        }
        if self.endpoint_follows_domain {
            auth.client_endpoint = Some(format!("https://{}/rest/", auth.domain));
        }
        auth
    }

    /// The event as a tree, in Bitrix24's key order: what `http_build_query` is given.
    pub fn value(&self) -> Value {
        let mut tree = Array::new();
        tree.insert("event", Value::from(self.code.as_str()));
        if let Some(id) = self.event_handler_id {
            tree.insert("event_handler_id", Value::Number(id.into()));
        }
        tree.insert("data", self.data.clone());
        tree.insert("ts", Value::Number(self.ts.into()));
        // `Auth` serializes to an array in Bitrix24's order; it cannot fail.
        tree.insert("auth", crate::to_value(&self.final_auth()).unwrap_or(Value::Array(Array::new())));
        let mut tree = Value::Array(tree);
        for (path, edit) in &self.edits {
            apply(&mut tree, path, edit.clone());
        }
        tree
    }

    /// The form body (`application/x-www-form-urlencoded`), byte for byte as Bitrix24 posts it.
    pub fn form_body(&self) -> String {
        crate::form::encode(&self.value())
    }

    /// The JSON body a proxy would forward (see [`json_body`]).
    pub fn json_body(&self) -> String {
        // Our own form output always decodes (no limits, UTF-8 in, UTF-8 out).
        json_of_form(&self.form_body()).unwrap_or_default()
    }

    /// The body in `format`.
    pub fn body(&self, format: Format) -> String {
        match format {
            Format::Form => self.form_body(),
            Format::Json => self.json_body(),
        }
    }

    /// A `POST` to [`DEFAULT_PATH`] with the body in `format` and its headers (see [`request`]).
    pub fn request(&self, format: Format) -> http::Request<Vec<u8>> {
        request(DEFAULT_PATH, content_type(format), self.body(format))
    }

    /// Decodes the form body, as a handler would (an [`AnyEvent`], a typed [`Event`]).
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        crate::Decoder::new(unlimited()).form(self.form_body().as_bytes())
    }

    /// The decoded event.
    ///
    /// # Panics
    /// When the event was made malformed on purpose ([`EventBuilder::remove`], [`EventBuilder::set`]);
    /// use [`EventBuilder::decode`] for those.
    pub fn build(&self) -> AnyEvent {
        match self.decode() {
            Ok(event) => event,
            Err(e) => panic!("testkit: the built event does not decode: {e}"),
        }
    }
}

fn default_auth() -> Auth {
    Auth {
        access_token: Some(Secret::new(DEFAULT_ACCESS_TOKEN)),
        expires: None,
        expires_in: Some(3600),
        scope: Some("sign.b2e".into()),
        domain: DEFAULT_DOMAIN.into(),
        server_endpoint: Some(DEFAULT_SERVER_ENDPOINT.into()),
        status: Some(AppStatus::Local),
        client_endpoint: None,
        member_id: DEFAULT_MEMBER_ID.into(),
        user_id: Some(1),
        refresh_token: Some(Secret::new(DEFAULT_REFRESH_TOKEN)),
        application_token: Some(Secret::new(DEFAULT_APPLICATION_TOKEN)),
        client_id: None,
        extra: Array::new(),
    }
}

fn apply(tree: &mut Value, path: &[String], edit: Option<Value>) {
    let Some((last, parents)) = path.split_last() else { return };
    let mut node = tree;
    for key in parents {
        let array = match node {
            Value::Array(a) => a,
            _ if edit.is_none() => return,
            other => {
                *other = Value::Array(Array::new());
                match other {
                    Value::Array(a) => a,
                    _ => return,
                }
            }
        };
        if array.get(key).is_none() {
            if edit.is_none() {
                return;
            }
            array.insert(Key::from_php(key), Value::Array(Array::new()));
        }
        let Some(next) = array.get_mut(key) else { return };
        node = next;
    }
    let Value::Array(array) = node else {
        if let Some(value) = edit {
            let mut fresh = Array::new();
            fresh.insert(Key::from_php(last), value);
            *node = Value::Array(fresh);
        }
        return;
    };
    match edit {
        Some(value) => {
            array.insert(Key::from_php(last), value);
        }
        None => {
            array.remove(last);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_event_byte_for_byte() {
        let seed = include_str!("../examples/data/member-status-changed.form");
        let builder = EventBuilder::member_status_changed(MemberStatus::Done)
            .event_handler_id(1211)
            .domain("some-domain.bitrix24.com")
            .member_id("60133c09d1f5d0fd6d7884a11fad4585")
            .application_token("81905784dd6e05280c9a2015e0e61e68")
            .access_token("s6p6eclrvim6da22ft9ch94ekreb52lv")
            .refresh_token("4s386p3q0tr8dy89xvmt96234v3dljg8")
            .remove(&["auth", "expires"])
            .remove(&["auth", "user_id"]);
        assert_eq!(builder.form_body(), seed.trim_end());
        let json: serde_json::Value = serde_json::from_str(&builder.json_body()).unwrap();
        let seed_json: serde_json::Value =
            serde_json::from_str(include_str!("../examples/data/member-status-changed.json")).unwrap();
        assert_eq!(json, seed_json);
        // And from the decoded event back again.
        let event = builder.build();
        assert_eq!(form_body(&event).unwrap(), seed.trim_end());
        assert_eq!(EventBuilder::from_any(&event).form_body(), seed.trim_end());
    }

    #[test]
    fn edits() {
        let b = EventBuilder::new("ONX").set(&["data", "a", "b"], "1").set(&["auth", "domain"], "d").remove(&["ts"]);
        let body = b.form_body();
        assert!(
            body.starts_with("event=ONX&event_handler_id=1&data%5Ba%5D%5Bb%5D=1&auth%5Baccess_token%5D="),
            "{body}"
        );
        assert!(body.contains("&auth%5Bdomain%5D=d&"), "{body}");
        assert!(!body.contains("&ts="));
        assert_eq!(b.clone().remove(&["nope", "x"]).form_body(), body);
        assert_eq!(b.set(&[], "x").form_body(), body);
    }

    #[test]
    fn uninstall_has_no_oauth_tokens() {
        let body = EventBuilder::uninstall().form_body();
        assert_eq!(
            body,
            "event=ONAPPUNINSTALL&event_handler_id=1&data%5BCLEAN%5D=0&data%5BLANGUAGE_ID%5D=en&ts=1770374945\
             &auth%5Bscope%5D=sign.b2e&auth%5Bdomain%5D=example.bitrix24.com\
             &auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bstatus%5D=L\
             &auth%5Bclient_endpoint%5D=https%3A%2F%2Fexample.bitrix24.com%2Frest%2F\
             &auth%5Bmember_id%5D=0123456789abcdef0123456789abcdef\
             &auth%5Bapplication_token%5D=51a7e0c2d9b84f3e8a6c1d0f2b3e4a59"
        );
    }
}
