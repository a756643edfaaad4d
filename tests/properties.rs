//! Property tests (proptest):
//!
//! - a typed event -> form body (`form::to_string`) -> the same event, and -> JSON -> the same event;
//! - a tree whose keys survive PHP's mangling -> `form::encode` -> `form::decode` -> the same tree,
//!   and -> `from_value` / JSON -> the same tree;
//! - decoding strings built from the hostile alphabet (brackets, `%`, `+`, `&`, `=`, dots, spaces,
//!   non-ASCII) never panics, and satisfies every property the fuzz targets check.
//!
//! Case counts are modest (64 per property); `PROPTEST_CASES=10000 cargo test --test properties`
//! runs more.

#[path = "support/fuzz_checks.rs"]
mod fuzz_checks;

use bitrix24_events::{
    AnyEvent, AppInstall, AppStatus, AppUninstall, AppUpdate, Array, Auth, DocumentStatus, DocumentStatusChanged,
    Event, HcmLinkDocumentSigned, Limits, MemberStatus, MemberStatusChanged, Secret, Value, form,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64);
    Config { cases, ..Config::default() }
}

/// The characters PHP's key rules and percent-decoding treat specially, and some that are merely
/// not ASCII.
const HOSTILE: &[char] = &[
    '[', ']', '%', '+', '&', '=', '.', ' ', '_', '-', '\t', '\n', '\r', '\x0b', '\0', '#', ';', '"', '\\', 'a', 'b',
    'Z', '0', '1', '5', '9', 'é', 'ж', '中', '🎉', '\u{feff}', '\u{a0}',
];

fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![6 => prop::sample::select(HOSTILE), 1 => any::<char>()]
}

fn text() -> BoxedStrategy<String> {
    prop::collection::vec(hostile_char(), 0..10).prop_map(|v| v.into_iter().collect()).boxed()
}

fn opt_text() -> BoxedStrategy<Option<String>> {
    prop::option::of(text()).boxed()
}

/// A name PHP keeps as it is at the top level: not empty, no ` `, `.`, `[` or NUL.
fn top_key() -> impl Strategy<Value = String> {
    text().prop_map(|k| {
        let k: String = k.chars().filter(|c| !matches!(c, ' ' | '.' | '[' | '\0')).collect();
        if k.is_empty() { "k".to_owned() } else { k }
    })
}

/// A key PHP keeps as it is inside brackets (`a[key]`).
fn group_key() -> BoxedStrategy<String> {
    prop_oneof![
        text().prop_map(|k| fuzz_checks::group_key(&k)),
        // Integer-like keys, which PHP stores as integers.
        (-3i64..20).prop_map(|i| i.to_string()),
        Just("01".to_owned()),
        Just("-0".to_owned()),
        Just("9223372036854775807".to_owned()),
        Just("9223372036854775808".to_owned()),
    ]
    .boxed()
}

fn build_array(entries: Vec<(String, Value)>) -> Array {
    let mut a = Array::new();
    for (k, v) in entries {
        a.insert(k.as_str(), v);
    }
    a
}

/// A value a form body can carry below a bracket group: strings and non-empty arrays.
fn form_value() -> BoxedStrategy<Value> {
    text()
        .prop_map(Value::String)
        .prop_recursive(4, 24, 4, |inner| {
            prop::collection::vec((group_key(), inner), 1..4).prop_map(|e| Value::Array(build_array(e)))
        })
        .boxed()
}

/// A whole form tree whose keys survive PHP's mangling.
fn form_tree() -> impl Strategy<Value = Value> {
    prop::collection::vec((top_key(), form_value()), 0..6).prop_map(|e| Value::Array(build_array(e)))
}

fn code_of(known: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![3 => prop::sample::select(known).prop_map(str::to_owned), 1 => text()]
}

/// A code, in mixed case.
fn mixed_case(code: &'static str) -> impl Strategy<Value = String> {
    any::<u64>().prop_map(move |mask| {
        code.chars()
            .enumerate()
            .map(|(i, c)| if mask >> (i % 64) & 1 == 1 { c.to_ascii_lowercase() } else { c })
            .collect()
    })
}

fn secret() -> impl Strategy<Value = Option<Secret>> {
    prop::option::of(prop_oneof![text(), "[0-9a-f]{32}"].prop_map(Secret::new))
}

fn auth() -> BoxedStrategy<Auth> {
    let tokens = (secret(), secret(), secret());
    let numbers = (prop::option::of(any::<u64>()), prop::option::of(any::<u64>()), prop::option::of(any::<u64>()));
    let texts = (text(), text(), opt_text(), opt_text(), opt_text(), opt_text());
    let status = prop::option::of(code_of(&["L", "F", "D", "T", "P", "S"]).prop_map(AppStatus::from));
    let extra = prop::collection::vec((group_key(), form_value()), 0..3);
    (tokens, numbers, texts, status, extra)
        .prop_map(
            |(
                (access, refresh, app),
                (expires, expires_in, user_id),
                (domain, member_id, scope, server, client, id),
                status,
                extra,
            )| {
                let mut auth = Auth::default();
                auth.access_token = access;
                auth.refresh_token = refresh;
                auth.application_token = app;
                auth.expires = expires;
                auth.expires_in = expires_in;
                auth.user_id = user_id;
                auth.domain = domain;
                auth.member_id = member_id;
                auth.scope = scope;
                auth.server_endpoint = server;
                auth.client_endpoint = client;
                auth.client_id = id;
                auth.status = status;
                for (k, v) in extra {
                    if !fuzz_checks::AUTH_FIELDS.contains(&k.as_str()) {
                        auth.extra.insert(k.as_str(), v);
                    }
                }
                auth
            },
        )
        .boxed()
}

/// The envelope of an event with data `D`, given its code.
fn envelope<D: std::fmt::Debug + Clone + 'static>(
    code: impl Strategy<Value = String> + 'static,
    data: impl Strategy<Value = D> + 'static,
) -> BoxedStrategy<Event<D>> {
    (code, data, prop::option::of(any::<u64>()), any::<u64>(), auth())
        .prop_map(|(code, data, handler, ts, auth)| {
            let mut e = Event::new(code, data, ts, auth);
            e.event_handler_id = handler;
            e
        })
        .boxed()
}

const MEMBER: &[&str] = &["wait", "ready", "done", "refused", "stopped", "undefined"];
const DOCUMENT: &[&str] = &["new", "signing", "stopped", "done", "undefined"];

/// Any event a decoder can return from a form body.
fn any_event() -> impl Strategy<Value = AnyEvent> {
    let member = (text(), text(), opt_text(), code_of(MEMBER), text()).prop_map(|(m, d, c, s, n)| {
        let mut data = MemberStatusChanged::new(m, d, MemberStatus::from(s));
        data.company_uid = c;
        data.status_name = n;
        data
    });
    let document = (text(), opt_text(), code_of(DOCUMENT), text()).prop_map(|(d, c, s, n)| {
        let mut data = DocumentStatusChanged::new(d, DocumentStatus::from(s));
        data.company_uid = c;
        data.status_name = n;
        data
    });
    let hcm = (any::<u64>(), text()).prop_map(|(id, c)| HcmLinkDocumentSigned::new(id, c));
    let install = (any::<u64>(), any::<Option<bool>>(), any::<Option<bool>>(), opt_text()).prop_map(|(v, a, i, l)| {
        let mut data = AppInstall::new(v);
        data.active = a;
        data.installed = i;
        data.language_id = l;
        data
    });
    let update = (any::<u64>(), prop::option::of(any::<u64>()), opt_text()).prop_map(|(v, p, l)| {
        let mut data = AppUpdate::new(v, 0);
        data.previous_version = p;
        data.language_id = l;
        data
    });
    let uninstall = (any::<bool>(), opt_text()).prop_map(|(c, l)| {
        let mut data = AppUninstall::new(c);
        data.language_id = l;
        data
    });
    let other_code = prop_oneof![text(), "ONCRM[A-Z]{3,10}"]
        .prop_map(|c| if fuzz_checks::KNOWN_CODES.iter().any(|k| k.eq_ignore_ascii_case(&c)) { c + "_" } else { c });
    prop_oneof![
        envelope(mixed_case(fuzz_checks::KNOWN_CODES[0]), member.boxed()).prop_map(AnyEvent::MemberStatusChanged),
        envelope(mixed_case(fuzz_checks::KNOWN_CODES[1]), document.boxed()).prop_map(AnyEvent::DocumentStatusChanged),
        envelope(mixed_case(fuzz_checks::KNOWN_CODES[2]), hcm).prop_map(AnyEvent::HcmLinkDocumentSigned),
        envelope(mixed_case(fuzz_checks::KNOWN_CODES[3]), install.boxed()).prop_map(AnyEvent::AppInstall),
        envelope(mixed_case(fuzz_checks::KNOWN_CODES[4]), update.boxed()).prop_map(AnyEvent::AppUpdate),
        envelope(mixed_case(fuzz_checks::KNOWN_CODES[5]), uninstall.boxed()).prop_map(AnyEvent::AppUninstall),
        envelope(other_code, form_value()).prop_map(AnyEvent::Other),
    ]
}

/// Pieces of hostile bodies: the characters, escapes good and bad, and the names the model knows.
const PIECES: &[&str] = &[
    "[",
    "]",
    "[]",
    "%",
    "%5B",
    "%5d",
    "%00",
    "%FF",
    "%C3",
    "%C3%A9",
    "%2",
    "%zz",
    "+",
    "&",
    "=",
    ".",
    " ",
    "\t",
    "é",
    "中",
    "a",
    "b",
    "0",
    "-1",
    "9223372036854775807",
    "event",
    "data",
    "auth",
    "ts",
    "domain",
    "member_id",
    "application_token",
    "ONAPPUNINSTALL",
    "ONSIGNB2EMEMBERSTATUSCHANGED",
    "CLEAN",
    "statusCode",
    "{",
    "}",
    "\"",
    ":",
];

fn hostile_body() -> impl Strategy<Value = String> {
    prop::collection::vec(prop_oneof![4 => prop::sample::select(PIECES).prop_map(str::to_owned), 1 => text()], 0..40)
        .prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn typed_event_round_trips_through_form_and_json(event in any_event()) {
        // Form body -> event, JSON -> event, both equal to the original (checked inside).
        fuzz_checks::check_event_roundtrip(&event);
    }

    #[test]
    fn tree_round_trips_through_encode_and_decode(tree in form_tree()) {
        let body = form::encode(&tree);
        let mut limits = Limits::default();
        limits.max_body_bytes = usize::MAX;
        limits.max_pairs = usize::MAX;
        let back = form::decode_with(body.as_bytes(), &limits).expect("an encoded tree decodes");
        prop_assert_eq!(&back, &tree, "body: {}", body);
        // `to_string` (through serde) encodes a tree exactly as `encode` does.
        prop_assert_eq!(form::to_string(&tree).expect("to_string"), body);
    }

    #[test]
    fn tree_passes_through_from_value(tree in form_tree()) {
        // `from_value::<Value>` hands the tree over as it is; through serde_json it is rebuilt.
        let back: Value = bitrix24_events::from_value(tree.clone()).expect("from_value");
        prop_assert_eq!(&back, &tree);
        let json = serde_json::to_vec(&tree).expect("to JSON");
        prop_assert_eq!(serde_json::from_slice::<Value>(&json).expect("from JSON"), tree);
    }

    #[test]
    fn hostile_strings_never_panic(body in hostile_body()) {
        fuzz_checks::check_form_decode(body.as_bytes());
        fuzz_checks::check_typed_decode(body.as_bytes());
    }

    #[test]
    fn hostile_strings_in_events_never_panic(prefix in hostile_body(), suffix in hostile_body()) {
        // Hostile pieces spliced into a real event body, where the typed model looks.
        let sample = include_str!("../examples/data/member-status-changed.form");
        let at = prefix.len() % sample.len();
        let at = (0..=at).rev().find(|&i| sample.is_char_boundary(i)).unwrap_or(0);
        let body = format!("{}{prefix}{}{suffix}", &sample[..at], &sample[at..]);
        fuzz_checks::check_form_decode(body.as_bytes());
        fuzz_checks::check_typed_decode(body.as_bytes());
    }
}
