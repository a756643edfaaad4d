//! The properties the fuzz targets check, shared by `fuzz/fuzz_targets/*.rs` (through
//! `#[path]`) and by the corpus replay test `tests/fuzz_corpus.rs`, so that every input the fuzzer
//! ever found keeps being checked by `cargo test`, without a fuzzer.
//!
//! Each `check_*` function takes the raw fuzzer input and panics when a property fails. They use
//! only the crate's public API.
#![allow(dead_code)]

use arbitrary::{Arbitrary, Unstructured};
use bitrix24_events::{
    AnyEvent, AppInstall, AppStatus, AppUninstall, AppUpdate, ApplicationToken, Array, Auth, Decoder, DocumentStatus,
    DocumentStatusChanged, Error, ErrorKind, Event, EventData, HcmLinkDocumentSigned, Key, Limits, MemberStatus,
    MemberStatusChanged, Secret, Value, form,
};

pub const FORM: &str = "application/x-www-form-urlencoded";
pub const JSON: &str = "application/json";

/// A fuzz target's check: panics when a property fails on the input.
pub type Check = fn(&[u8]);

/// The fuzz targets, by name, with their check.
pub const TARGETS: &[(&str, Check)] = &[
    ("form_decode", check_form_decode),
    ("typed_decode", check_typed_decode),
    ("form_json_equivalence", check_form_json_equivalence),
    ("token_verify", check_token_verify),
];

// ---------------------------------------------------------------------------------------------
// form_decode

/// Limits small enough that fuzz inputs hit every one of them.
fn small_limits() -> [Limits; 2] {
    let mut a = Limits::default();
    a.max_body_bytes = 256;
    a.max_pairs = 4;
    a.max_depth = 2;
    let mut b = Limits::default();
    b.max_body_bytes = 64;
    b.max_pairs = 1;
    b.max_depth = 0;
    [a, b]
}

/// No limit on size or pairs (an encoded tree can be longer than the body it came from).
fn roomy(depth: usize) -> Limits {
    let mut l = Limits::default();
    l.max_body_bytes = usize::MAX;
    l.max_pairs = usize::MAX;
    l.max_depth = depth;
    l
}

/// Non-empty `&`-separated segments: what counts against `max_pairs`.
pub fn pair_count(body: &[u8]) -> usize {
    body.split(|&b| b == b'&').filter(|s| !s.is_empty()).count()
}

/// Nesting of a value: 0 for a scalar, 1 + the deepest child for an array.
pub fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

fn leaves(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.iter().map(|(_, v)| leaves(v)).sum(),
        _ => 1,
    }
}

/// What every form-decoded tree looks like: an array root, only strings and non-empty arrays below,
/// at most `max_depth` bracket levels, at most one leaf per pair.
fn check_form_tree(tree: &Value, body: &[u8], limits: &Limits) {
    let Value::Array(root) = tree else { panic!("form::decode returned a non-array: {tree:?}") };
    fn walk(a: &Array, top: bool) {
        for (k, v) in a {
            if let Key::Str(s) = k {
                assert!(!s.contains('\0'), "key with NUL: {s:?}");
                assert!(Key::from_php(s) == *k, "string key that PHP would store as an integer: {s:?}");
                if top {
                    assert!(!s.is_empty(), "empty top-level name");
                    assert!(!s.contains(['.', ' ', '[']), "top-level name not mangled: {s:?}");
                }
            }
            match v {
                Value::String(_) => {}
                Value::Array(inner) => {
                    assert!(!inner.is_empty(), "empty array in a form tree");
                    walk(inner, false);
                }
                other => panic!("form tree holds a non-string scalar: {other:?}"),
            }
        }
    }
    walk(root, true);
    assert!(depth(tree) <= limits.max_depth + 1, "tree deeper than max_depth {}: {tree:?}", limits.max_depth);
    assert!(leaves(tree) <= pair_count(body), "more leaves than pairs");
}

/// An error from `decode_with(body, limits)`: of a kind that fits the body and the limits.
fn check_form_error(e: &Error, body: &[u8], limits: &Limits) {
    let _ = (e.to_string(), e.path(), format!("{e:?}"));
    let first_nul = body.iter().position(|&b| b == 0);
    match e.kind() {
        ErrorKind::BodyTooLarge { size, limit } => {
            assert_eq!((*size, *limit), (body.len(), limits.max_body_bytes));
            assert!(body.len() > limits.max_body_bytes);
            return;
        }
        ErrorKind::NulByte { offset } => assert_eq!(Some(*offset), first_nul, "NulByte offset"),
        ErrorKind::TooManyPairs { limit } => {
            assert_eq!(*limit, limits.max_pairs);
            assert!(pair_count(body) > limits.max_pairs, "TooManyPairs with {} pairs", pair_count(body));
        }
        ErrorKind::TooDeep { key, limit } => {
            assert_eq!(*limit, limits.max_depth);
            assert!(key.chars().count() <= 64, "TooDeep key longer than 64: {key:?}");
        }
        ErrorKind::InvalidUtf8 { key } => assert!(key.chars().count() <= 64, "InvalidUtf8 key longer than 64"),
        other => panic!("form decoding returned an unexpected error kind: {other:?}"),
    }
    assert!(body.len() <= limits.max_body_bytes, "body too large but not reported so");
    if !matches!(e.kind(), ErrorKind::NulByte { .. }) {
        assert_eq!(first_nul, None, "a NUL byte not reported first");
    }
}

/// `form::decode` of arbitrary bytes: never panics; the tree has the form shape; errors are of the
/// right kind (with small limits, what fails is a limit); smaller limits never change a successful
/// result; and decode -> encode -> decode is a fixed point.
pub fn check_form_decode(body: &[u8]) {
    let defaults = Limits::default();
    let full = form::decode(body);
    match &full {
        Ok(tree) => {
            check_form_tree(tree, body, &defaults);
            let encoded = form::encode(tree);
            let again = form::decode_with(encoded.as_bytes(), &roomy(defaults.max_depth))
                .unwrap_or_else(|e| panic!("re-encoded tree does not decode: {e}\nencoded: {encoded}"));
            assert_eq!(&again, tree, "decode(encode(tree)) != tree\nencoded: {encoded}");
            assert_eq!(form::encode(&again), encoded, "encode is not stable");
        }
        Err(e) => check_form_error(e, body, &defaults),
    }
    for limits in small_limits() {
        match form::decode_with(body, &limits) {
            Ok(tree) => {
                check_form_tree(&tree, body, &limits);
                assert_eq!(full.as_ref().ok(), Some(&tree), "a smaller limit changed the result");
            }
            Err(e) => {
                check_form_error(&e, body, &limits);
                // Only a limit may fail where the defaults succeed; anything else fails the same way.
                if matches!(e.kind(), ErrorKind::NulByte { .. } | ErrorKind::InvalidUtf8 { .. }) {
                    assert_eq!(full.as_ref().err(), Some(&e), "non-limit error differs under default limits");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// typed_decode

/// Whether a tree holds a floating point number (whose JSON text round trip serde_json does not
/// promise without its `float_roundtrip` feature).
fn has_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_f64(),
        Value::Array(a) => a.iter().any(|(_, v)| has_float(v)),
        _ => false,
    }
}

fn event_has_float(e: &AnyEvent) -> bool {
    let extra = e.auth().extra.iter().any(|(_, v)| has_float(v));
    extra || matches!(e, AnyEvent::Other(o) if has_float(&o.data))
}

/// A decoded event, rendered back to JSON (and, for events decoded from a form, to a form body),
/// decodes to the same event.
fn check_reencodes(event: &AnyEvent, from_form: bool) {
    let json = serde_json::to_vec(event).expect("an event serializes to JSON");
    if !event_has_float(event) {
        let back: AnyEvent = bitrix24_events::from_json(&json)
            .unwrap_or_else(|e| panic!("re-rendered JSON does not decode: {e}\n{}", String::from_utf8_lossy(&json)));
        assert_eq!(&back, event, "JSON round trip\n{}", String::from_utf8_lossy(&json));
    }
    if from_form {
        let body = form::to_string(event).expect("an event encodes as a form");
        let back: AnyEvent = roomy_decoder()
            .form(body.as_bytes())
            .unwrap_or_else(|e| panic!("re-encoded form does not decode: {e}\n{body}"));
        assert_eq!(&back, event, "form round trip\n{body}");
    }
}

/// Whether a JSON text holds a `\u` escape of a UTF-16 surrogate that is not part of a pair.
pub fn has_lone_surrogate_escape(json: &[u8]) -> bool {
    let hex4 = |at: usize| {
        let digits = json.get(at..at + 4)?;
        u16::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
    };
    let mut i = 0;
    while i + 1 < json.len() {
        if json[i] != b'\\' {
            i += 1;
            continue;
        }
        if json[i + 1] != b'u' {
            i += 2; // `\\`, `\"`, `\n`, ...: the escaped character is never the start of another
            continue;
        }
        match hex4(i + 2) {
            Some(0xD800..=0xDBFF) => {
                let low = (json.get(i + 6..i + 8) == Some(&b"\\u"[..])).then(|| hex4(i + 8)).flatten();
                if !matches!(low, Some(0xDC00..=0xDFFF)) {
                    return true;
                }
                i += 12;
            }
            Some(0xDC00..=0xDFFF) => return true,
            _ => i += 6,
        }
    }
    false
}

/// The envelope decoded generically (`Event<Value>`) agrees with the `AnyEvent`.
fn check_generic_agrees(event: &AnyEvent, generic: Result<Event<Value>, Error>) {
    let generic = match generic {
        Ok(generic) => generic,
        Err(e) => panic!("AnyEvent decodes but Event<Value> does not: {e}"),
    };
    assert_eq!(generic.event, event.code());
    assert_eq!(generic.ts, event.ts());
    assert_eq!(generic.event_handler_id, event.event_handler_id());
    assert_eq!(&generic.auth, event.auth());
}

/// Whether `s` is a long alphanumeric string with letters and digits both, which a message can hardly
/// contain by chance (a hex token is one).
fn unlikely_in_text(s: &str) -> bool {
    s.len() >= 8
        && s.bytes().all(|b| b.is_ascii_alphanumeric())
        && s.bytes().any(|b| b.is_ascii_digit())
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

/// Long alphanumeric strings (letters and digits both) that a message can hardly contain by chance.
fn leak_candidates(tree: &Value, out: &mut Vec<String>, keys: &mut Vec<String>) {
    if let Value::Array(a) = tree {
        for (k, v) in a {
            keys.push(k.to_string());
            match v {
                Value::String(s) if unlikely_in_text(s) => out.push(s.clone()),
                _ => leak_candidates(v, out, keys),
            }
        }
    }
}

/// An error about a body never quotes a value from it (keys are fair game: they are the path).
fn check_no_value_in_error(e: &Error, tree: &Value) {
    let (mut values, mut keys) = (Vec::new(), Vec::new());
    leak_candidates(tree, &mut values, &mut keys);
    let message = format!("{e} {e:?}");
    for v in values {
        if keys.iter().any(|k| k.contains(v.as_str())) {
            continue;
        }
        assert!(!message.contains(v.as_str()), "error quotes a value from the body: {message}");
    }
}

fn roomy_decoder() -> Decoder {
    Decoder::new(roomy(Limits::DEFAULT_MAX_DEPTH))
}

/// Typed decoding of an arbitrary body, as a form and as JSON: never panics; what decodes renders
/// back to the same event; the generic envelope agrees; errors never quote values.
pub fn check_typed_decode(body: &[u8]) {
    let form_result = bitrix24_events::from_body::<AnyEvent>(Some(FORM), body);
    match &form_result {
        Ok(event) => {
            check_generic_agrees(event, bitrix24_events::from_form(body));
            check_reencodes(event, true);
        }
        Err(e) => {
            let _ = (e.to_string(), e.path());
            if let Ok(tree) = form::decode(body) {
                check_no_value_in_error(e, &tree);
            }
        }
    }

    let json_result = bitrix24_events::from_body::<AnyEvent>(Some("application/json; charset=utf-8"), body);
    match &json_result {
        Ok(event) => {
            // Found by this target (fuzz/regressions/typed_decode/json-invalid-utf8-*): invalid
            // UTF-8 in a string serde_json skips was accepted; PHP's json_decode refuses the body.
            assert!(std::str::from_utf8(body).is_ok(), "a JSON body that is not UTF-8 was accepted");
            // Found by this target too (json-lone-surrogate-*): an unpaired `\u` surrogate escape in
            // a skipped string was accepted; json_decode refuses the body.
            assert!(!has_lone_surrogate_escape(body), "a JSON body with an unpaired surrogate escape was accepted");
            check_generic_agrees(event, bitrix24_events::from_json(body));
            check_reencodes(event, false);
        }
        Err(e) => {
            let _ = (e.to_string(), e.path());
            if let Ok(tree) = serde_json::from_slice::<Value>(body) {
                check_no_value_in_error(e, &tree);
            }
        }
    }
    // The generic tree of a JSON body, and the untyped whole body as an event.
    let _ = Decoder::default().tree(bitrix24_events::Format::Json, body);
    let _ = bitrix24_events::from_json::<Event<Value>>(body);
}

// ---------------------------------------------------------------------------------------------
// form_json_equivalence

/// A structured event, generated by `arbitrary`.
#[derive(Arbitrary, Debug)]
pub struct EventSpec {
    kind: KindSpec,
    code_case: u64,
    event_handler_id: Option<u64>,
    ts: u64,
    auth: AuthSpec,
}

#[derive(Arbitrary, Debug)]
enum KindSpec {
    Member { member_uid: String, document_uid: String, company_uid: Option<String>, status: Code, status_name: String },
    Document { document_uid: String, company_uid: Option<String>, status: Code, status_name: String },
    Hcm { id: u64, company: String },
    Install { version: u64, active: Option<bool>, installed: Option<bool>, language_id: Option<String> },
    Update { version: u64, previous_version: Option<u64>, language_id: Option<String> },
    Uninstall { clean: bool, language_id: Option<String> },
    Other { code: String, data: TreeSpec },
}

/// A status code: one of the known ones (by index) or any text.
#[derive(Arbitrary, Debug)]
enum Code {
    Known(u8),
    Text(String),
}

impl Code {
    fn pick(&self, known: &[&str]) -> String {
        match self {
            Code::Known(i) => known[usize::from(*i) % known.len()].to_owned(),
            Code::Text(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct AuthSpec {
    access_token: Option<String>,
    expires: Option<u64>,
    expires_in: Option<u64>,
    scope: Option<String>,
    domain: String,
    server_endpoint: Option<String>,
    status: Option<Code>,
    client_endpoint: Option<String>,
    member_id: String,
    user_id: Option<u64>,
    refresh_token: Option<String>,
    application_token: Option<String>,
    client_id: Option<String>,
    extra: Vec<(String, TreeSpec)>,
}

/// A tree a form body can carry: strings and non-empty arrays.
#[derive(Arbitrary, Debug)]
enum TreeSpec {
    Text(String),
    Array(Vec<(String, TreeSpec)>),
}

/// Deepest `data` or `auth` extra tree built (the form limit is 64 levels in all).
const MAX_TREE_DEPTH: usize = 8;

/// A key that survives as a bracket group (`data[key]`): no `]` or NUL, not empty, not a single
/// C `isspace` character (PHP reads `[ ]` as `[]`).
pub fn group_key(raw: &str) -> String {
    let k: String = raw.chars().filter(|&c| c != ']' && c != '\0').collect();
    if k.is_empty() || matches!(k.as_str(), " " | "\t" | "\n" | "\x0b" | "\x0c" | "\r") { format!("k{k}") } else { k }
}

/// The `auth` fields `Auth` types; any other name lands in `Auth::extra`.
pub const AUTH_FIELDS: [&str; 13] = [
    "access_token",
    "expires",
    "expires_in",
    "scope",
    "domain",
    "server_endpoint",
    "status",
    "client_endpoint",
    "member_id",
    "user_id",
    "refresh_token",
    "application_token",
    "client_id",
];

impl TreeSpec {
    fn build(&self, depth: usize) -> Value {
        match self {
            TreeSpec::Text(s) => Value::String(s.clone()),
            TreeSpec::Array(entries) if entries.is_empty() || depth == 0 => Value::String(String::new()),
            TreeSpec::Array(entries) => {
                let mut array = Array::new();
                for (k, v) in entries {
                    // Inserted as PHP would store the key (`"5"` becomes the integer key 5).
                    array.insert(group_key(k).as_str(), v.build(depth - 1));
                }
                Value::Array(array)
            }
        }
    }
}

/// The event codes the crate types.
pub const KNOWN_CODES: [&str; 6] = [
    "ONSIGNB2EMEMBERSTATUSCHANGED",
    "ONSIGNB2EDOCUMENTSTATUSCHANGED",
    "ONSIGNHCMLINKB2EDOCUMENTSIGNED",
    "ONAPPINSTALL",
    "ONAPPUPDATE",
    "ONAPPUNINSTALL",
];

/// `code` with the case of each letter chosen by a bit of `mask` (event codes match ignoring case).
fn mixed_case(code: &str, mask: u64) -> String {
    code.chars().enumerate().map(|(i, c)| if mask >> (i % 64) & 1 == 1 { c.to_ascii_lowercase() } else { c }).collect()
}

impl AuthSpec {
    fn build(&self) -> Auth {
        let secret = |s: &Option<String>| s.clone().map(Secret::new);
        let mut auth = Auth::default();
        auth.access_token = secret(&self.access_token);
        auth.expires = self.expires;
        auth.expires_in = self.expires_in;
        auth.scope = self.scope.clone();
        auth.domain = self.domain.clone();
        auth.server_endpoint = self.server_endpoint.clone();
        auth.status = self.status.as_ref().map(|c| AppStatus::from(c.pick(&["L", "F", "D", "T", "P", "S"])));
        auth.client_endpoint = self.client_endpoint.clone();
        auth.member_id = self.member_id.clone();
        auth.user_id = self.user_id;
        auth.refresh_token = secret(&self.refresh_token);
        auth.application_token = secret(&self.application_token);
        auth.client_id = self.client_id.clone();
        for (k, v) in &self.extra {
            let k = group_key(k);
            if !AUTH_FIELDS.contains(&k.as_str()) {
                auth.extra.insert(k.as_str(), v.build(MAX_TREE_DEPTH));
            }
        }
        auth
    }
}

impl EventSpec {
    /// The typed event this spec describes, in the form a decoder returns it.
    pub fn build(&self) -> AnyEvent {
        fn env<D: EventData>(spec: &EventSpec, data: D) -> Event<D> {
            let code = match D::CODE {
                Some(code) => mixed_case(code, spec.code_case),
                None => unreachable!("typed data has a code"),
            };
            let mut e = Event::new(code, data, spec.ts, spec.auth.build());
            e.event_handler_id = spec.event_handler_id;
            e
        }
        const MEMBER: [&str; 6] = ["wait", "ready", "done", "refused", "stopped", "undefined"];
        const DOCUMENT: [&str; 5] = ["new", "signing", "stopped", "done", "undefined"];
        match &self.kind {
            KindSpec::Member { member_uid, document_uid, company_uid, status, status_name } => {
                let mut d = MemberStatusChanged::new(
                    member_uid.clone(),
                    document_uid.clone(),
                    MemberStatus::from(status.pick(&MEMBER)),
                );
                d.company_uid = company_uid.clone();
                d.status_name = status_name.clone();
                AnyEvent::MemberStatusChanged(env(self, d))
            }
            KindSpec::Document { document_uid, company_uid, status, status_name } => {
                let mut d =
                    DocumentStatusChanged::new(document_uid.clone(), DocumentStatus::from(status.pick(&DOCUMENT)));
                d.company_uid = company_uid.clone();
                d.status_name = status_name.clone();
                AnyEvent::DocumentStatusChanged(env(self, d))
            }
            KindSpec::Hcm { id, company } => {
                AnyEvent::HcmLinkDocumentSigned(env(self, HcmLinkDocumentSigned::new(*id, company.clone())))
            }
            KindSpec::Install { version, active, installed, language_id } => {
                let mut d = AppInstall::new(*version);
                d.active = *active;
                d.installed = *installed;
                d.language_id = language_id.clone();
                AnyEvent::AppInstall(env(self, d))
            }
            KindSpec::Update { version, previous_version, language_id } => {
                let mut d = AppUpdate::new(*version, 0);
                d.previous_version = *previous_version;
                d.language_id = language_id.clone();
                AnyEvent::AppUpdate(env(self, d))
            }
            KindSpec::Uninstall { clean, language_id } => {
                let mut d = AppUninstall::new(*clean);
                d.language_id = language_id.clone();
                AnyEvent::AppUninstall(env(self, d))
            }
            KindSpec::Other { code, data } => {
                let mut code = code.clone();
                if KNOWN_CODES.iter().any(|k| k.eq_ignore_ascii_case(&code)) {
                    code.push('_');
                }
                let mut e = Event::new(code, data.build(MAX_TREE_DEPTH), self.ts, self.auth.build());
                e.event_handler_id = self.event_handler_id;
                AnyEvent::Other(e)
            }
        }
    }
}

/// A typed event, encoded as a form body (`form::to_string`) and as JSON (`serde_json`), decodes
/// from both (the form through `Decoder::body` with its Content-Type, the JSON through
/// `Decoder::json`) to events equal to it, hence to each other.
pub fn check_event_roundtrip(event: &AnyEvent) {
    let body = form::to_string(event).expect("form::to_string of an event");
    let json = serde_json::to_vec(event).expect("serde_json::to_vec of an event");
    // `Decoder::body` is what `from_body` uses; `form`/`json` are what `from_form`/`from_json` use.
    let decoder = roomy_decoder();
    let from_form: AnyEvent =
        decoder.body(Some(FORM), body.as_bytes()).unwrap_or_else(|e| panic!("form body does not decode: {e}\n{body}"));
    let from_json: AnyEvent = decoder
        .json(&json)
        .unwrap_or_else(|e| panic!("JSON body does not decode: {e}\n{}", String::from_utf8_lossy(&json)));
    assert_eq!(&from_form, event, "form: {body}");
    assert_eq!(&from_json, event, "json: {}", String::from_utf8_lossy(&json));
}

/// Builds an event from arbitrary bytes and checks [`check_event_roundtrip`] on it.
pub fn check_form_json_equivalence(data: &[u8]) {
    let Ok(spec) = EventSpec::arbitrary_take_rest(Unstructured::new(data)) else { return };
    check_event_roundtrip(&spec.build());
}

// ---------------------------------------------------------------------------------------------
// token_verify

/// Splits an input into two byte strings: the first byte is the length of the first one.
pub fn split_two(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        None => (&[], &[]),
        Some((&n, rest)) => rest.split_at(usize::from(n).min(rest.len())),
    }
}

/// The inverse of [`split_two`] (for writing seeds), when `a` is at most 255 bytes.
pub fn join_two(a: &[u8], b: &[u8]) -> Vec<u8> {
    let n = u8::try_from(a.len()).expect("first part at most 255 bytes");
    let mut out = vec![n];
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out
}

/// Two byte strings as two strings, such that the strings are equal iff the bytes are: both as
/// UTF-8 when both are, both byte-per-char (Latin-1) otherwise.
pub fn two_strings(a: &[u8], b: &[u8]) -> (String, String) {
    match (std::str::from_utf8(a), std::str::from_utf8(b)) {
        (Ok(a), Ok(b)) => (a.to_owned(), b.to_owned()),
        _ => {
            let latin1 = |s: &[u8]| s.iter().map(|&b| char::from(b)).collect::<String>();
            (latin1(a), latin1(b))
        }
    }
}

/// Token verification of two arbitrary strings: never panics; the expected token accepts exactly
/// the received token that is byte-for-byte equal to it.
pub fn check_token_verify(data: &[u8]) {
    let (a, b) = split_two(data);
    let (expected, received) = two_strings(a, b);
    check_verify(&expected, &received);
}

/// [`check_token_verify`] on two strings.
pub fn check_verify(expected: &str, received: &str) {
    let token = match ApplicationToken::new(expected) {
        Ok(token) => token,
        Err(e) => {
            assert!(expected.is_empty(), "a non-empty token was refused: {e}");
            assert_eq!(e.kind(), &ErrorKind::EmptyToken);
            return;
        }
    };
    assert!(!expected.is_empty(), "an empty expected token was accepted");
    let secret = Secret::new(received);
    let result = token.verify(Some(&secret));
    assert_eq!(result.is_ok(), expected == received, "verify disagrees with byte equality");
    assert_eq!(token.verify_str(received), result, "verify_str disagrees with verify");
    assert_eq!(token.matches(Some(&secret)), result.is_ok());
    assert_eq!(token.verify(None).map_err(|e| e.into_kind()), Err(ErrorKind::MissingApplicationToken));
    if let Err(e) = &result {
        let want = if received.is_empty() { ErrorKind::MissingApplicationToken } else { ErrorKind::TokenMismatch };
        assert_eq!(e.kind(), &want);
        // The error says nothing about either value.
        let message = format!("{e} {e:?}");
        for value in [expected, received] {
            if unlikely_in_text(value) {
                assert!(!message.contains(value), "verification error quotes a token: {message}");
            }
        }
    }
    // Neither side shows through Debug or Display.
    assert_eq!(format!("{token:?} {token}"), "[redacted] [redacted]");
}
