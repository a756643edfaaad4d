//! Verification: the application_token comparison, the per-portal store, the install / update /
//! uninstall lifecycle on real form bodies, the missing-token helpers, freshness with a fixed clock,
//! deduplication keys, and that no auth-carrying type shows a secret in `Debug`.
//!
//! Deterministic: every clock is fixed, nothing is timed.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bitrix24_events::{
    Action, AnyEvent, ApplicationToken, Array, Auth, Decision, DocumentStatusChanged, Error, ErrorKind, Event,
    InstallRefusal, InstallTrust, MemoryTokenStore, OAuthTokens, Portal, Secret, TokenStore, Validation, Value, form,
    from_form, from_json,
};

const MEMBER: &str = "60133c09d1f5d0fd6d7884a11fad4585";
const DOMAIN: &str = "some-domain.bitrix24.com";
const TOKEN: &str = "81905784dd6e05280c9a2015e0e61e68";
const OTHER_TOKEN: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const ACCESS: &str = "be45f066007071b3006b6c2e00000001000007a1d7b5c8e0a5c1d3f6b12a4c3f0e8e44";
const REFRESH: &str = "ae94c866000071b3006b6c2e000000010000072f6fd7d5b3bd1d7f2d3c45a18d6b8f9c";
const TS: u64 = 1_770_374_945;

/// What PHP's `http_build_query` makes of an ONAPPINSTALL (generated with the `php` CLI).
const PHP_INSTALL: &str = "event=ONAPPINSTALL&data%5BVERSION%5D=1&data%5BACTIVE%5D=Y&data%5BINSTALLED%5D=Y&data%5BLANGUAGE_ID%5D=en&ts=1770374945&auth%5Baccess_token%5D=be45f066007071b3006b6c2e00000001000007a1d7b5c8e0a5c1d3f6b12a4c3f0e8e44&auth%5Bexpires%5D=1770378545&auth%5Bexpires_in%5D=3600&auth%5Bscope%5D=crm%2Csign.b2e%2Cuser_brief&auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bstatus%5D=L&auth%5Bclient_endpoint%5D=https%3A%2F%2Fsome-domain.bitrix24.com%2Frest%2F&auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585&auth%5Buser_id%5D=1&auth%5Brefresh_token%5D=ae94c866000071b3006b6c2e000000010000072f6fd7d5b3bd1d7f2d3c45a18d6b8f9c&auth%5Bapplication_token%5D=81905784dd6e05280c9a2015e0e61e68";

/// What PHP's `http_build_query` makes of an ONAPPUNINSTALL (no OAuth tokens, as Bitrix24 sends it).
const PHP_UNINSTALL: &str = "event=ONAPPUNINSTALL&data%5BCLEAN%5D=1&data%5BLANGUAGE_ID%5D=en&ts=1770374999&auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bstatus%5D=L&auth%5Bclient_endpoint%5D=https%3A%2F%2Fsome-domain.bitrix24.com%2Frest%2F&auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585&auth%5Bapplication_token%5D=81905784dd6e05280c9a2015e0e61e68";

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn now() -> SystemTime {
    at(TS + 30)
}

fn tree(pairs: &[(&str, &str)]) -> Value {
    Value::Array(pairs.iter().map(|(k, v)| (*k, Value::from(*v))).collect::<Array>())
}

/// The `auth` block of an event with a user behind it, in Bitrix24's field order.
fn user_auth(member_id: &'static str, token: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("access_token", ACCESS),
        ("expires", "1770378545"),
        ("expires_in", "3600"),
        ("scope", "crm,sign.b2e,user_brief"),
        ("domain", DOMAIN),
        ("server_endpoint", "https://oauth.bitrix.info/rest/"),
        ("status", "L"),
        ("client_endpoint", "https://some-domain.bitrix24.com/rest/"),
        ("member_id", member_id),
        ("user_id", "1"),
        ("refresh_token", REFRESH),
        ("application_token", token),
    ]
}

/// The `auth` block of an event without a user: no OAuth tokens.
fn bare_auth(member_id: &'static str, token: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("domain", DOMAIN),
        ("server_endpoint", "https://oauth.bitrix.info/rest/"),
        ("status", "L"),
        ("client_endpoint", "https://some-domain.bitrix24.com/rest/"),
        ("member_id", member_id),
        ("application_token", token),
    ]
}

/// A form body as Bitrix24 posts it (the crate's `http_build_query`, checked against PHP elsewhere).
fn body(event: &str, handler: Option<&str>, data: &[(&str, &str)], ts: u64, auth: &[(&str, &str)]) -> String {
    let mut top = Array::new();
    top.insert("event", Value::from(event));
    if let Some(handler) = handler {
        top.insert("event_handler_id", Value::from(handler));
    }
    top.insert("data", tree(data));
    top.insert("ts", Value::from(ts.to_string()));
    top.insert("auth", tree(auth));
    form::encode(&Value::Array(top))
}

fn decode(body: &str) -> AnyEvent {
    from_form(body.as_bytes()).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn install(token: &'static str) -> AnyEvent {
    decode(&body(
        "ONAPPINSTALL",
        Some("3"),
        &[("VERSION", "1"), ("ACTIVE", "Y"), ("INSTALLED", "Y"), ("LANGUAGE_ID", "en")],
        TS,
        &user_auth(MEMBER, token),
    ))
}

fn update(token: &'static str, version: &str) -> AnyEvent {
    decode(&body(
        "ONAPPUPDATE",
        Some("4"),
        &[("VERSION", version), ("PREVIOUS_VERSION", "1"), ("LANGUAGE_ID", "en")],
        TS,
        &user_auth(MEMBER, token),
    ))
}

fn uninstall(token: &'static str) -> AnyEvent {
    decode(&body("ONAPPUNINSTALL", Some("5"), &[("CLEAN", "1"), ("LANGUAGE_ID", "en")], TS, &bare_auth(MEMBER, token)))
}

fn member_status(member_id: &'static str, token: &'static str, status: &str, ts: u64) -> AnyEvent {
    decode(&body(
        "ONSIGNB2EMEMBERSTATUSCHANGED",
        Some("1211"),
        &[
            ("memberUid", "2ditmm6vjoolzbygaeua2jltkjb9hgks"),
            ("documentUid", "R-LK-50JI-3AAK-WS1A"),
            ("statusCode", status),
            ("statusName", ""),
        ],
        ts,
        &bare_auth(member_id, token),
    ))
}

fn sign_event(token: &'static str) -> AnyEvent {
    member_status(MEMBER, token, "done", TS)
}

fn expected() -> ApplicationToken {
    ApplicationToken::new(TOKEN).unwrap()
}

fn kind(result: Result<impl std::fmt::Debug, Error>) -> ErrorKind {
    result.expect_err("expected an error").into_kind()
}

// ---------------------------------------------------------------------------------------------
// The comparison

#[test]
fn equal_tokens_pass() {
    let expected = expected();
    assert_eq!(expected.verify(Some(&Secret::new(TOKEN))), Ok(()));
    assert_eq!(expected.verify_str(TOKEN), Ok(()));
    assert!(expected.matches(Some(&Secret::new(TOKEN))));
    // Built from a String, a Secret or parsed: the same token.
    assert_eq!(ApplicationToken::try_from(TOKEN.to_owned()).unwrap(), expected);
    assert_eq!(ApplicationToken::try_from(&Secret::new(TOKEN)).unwrap(), expected);
    assert_eq!(ApplicationToken::try_from(Secret::new(TOKEN)).unwrap(), expected);
    assert_eq!(TOKEN.parse::<ApplicationToken>().unwrap(), expected);
    assert_eq!(expected.secret(), TOKEN);
    assert_eq!(Secret::from(expected).secret(), TOKEN);
}

#[test]
fn a_token_one_byte_off_fails_at_every_position() {
    let expected = expected();
    for i in 0..TOKEN.len() {
        for replacement in [b'0', b'f', b'x', b'A', 0x7f] {
            let mut bytes = TOKEN.as_bytes().to_vec();
            if bytes[i] == replacement {
                continue;
            }
            bytes[i] = replacement;
            let received = Secret::new(String::from_utf8(bytes).unwrap());
            assert_eq!(kind(expected.verify(Some(&received))), ErrorKind::TokenMismatch, "byte {i}");
            assert!(!expected.matches(Some(&received)));
        }
    }
    // Case matters: the token is compared as bytes.
    assert_eq!(kind(expected.verify_str(&TOKEN.to_uppercase())), ErrorKind::TokenMismatch);
}

#[test]
fn a_truncated_token_fails_at_every_length() {
    let expected = expected();
    for len in 1..TOKEN.len() {
        // Every prefix, and every suffix: no length becomes a prefix comparison.
        for part in [&TOKEN[..len], &TOKEN[TOKEN.len() - len..]] {
            assert_eq!(kind(expected.verify(Some(&Secret::new(part)))), ErrorKind::TokenMismatch, "{len}");
        }
    }
}

#[test]
fn a_longer_token_fails() {
    let expected = expected();
    for longer in [format!("{TOKEN}0"), format!("{TOKEN} "), format!("{TOKEN}\0"), TOKEN.repeat(2), format!(" {TOKEN}")]
    {
        assert_eq!(kind(expected.verify(Some(&Secret::new(longer)))), ErrorKind::TokenMismatch);
    }
    // And the other way round: an expected token longer than the one received.
    let long = ApplicationToken::new(format!("{TOKEN}00")).unwrap();
    assert_eq!(kind(long.verify(Some(&Secret::new(TOKEN)))), ErrorKind::TokenMismatch);
}

#[test]
fn an_empty_expected_token_cannot_be_built() {
    assert_eq!(kind(ApplicationToken::new("")), ErrorKind::EmptyToken);
    assert_eq!(kind(ApplicationToken::new(String::new())), ErrorKind::EmptyToken);
    assert_eq!(kind(ApplicationToken::try_from(&Secret::new(""))), ErrorKind::EmptyToken);
    assert_eq!(kind(ApplicationToken::try_from(Secret::new(""))), ErrorKind::EmptyToken);
    assert_eq!(kind("".parse::<ApplicationToken>()), ErrorKind::EmptyToken);
}

#[test]
fn an_empty_or_missing_received_token_never_matches() {
    let expected = expected();
    assert_eq!(kind(expected.verify(Some(&Secret::new("")))), ErrorKind::MissingApplicationToken);
    assert_eq!(kind(expected.verify(None)), ErrorKind::MissingApplicationToken);
    assert_eq!(kind(expected.verify_str("")), ErrorKind::MissingApplicationToken);
    assert!(!expected.matches(None));
    // Nor does an event without the field.
    let event = decode(&body("ONCRMLEADADD", None, &[("ID", "1")], TS, &[("domain", DOMAIN), ("member_id", MEMBER)]));
    assert_eq!(kind(Validation::new().check(&event, Some(&expected), now())), ErrorKind::MissingApplicationToken);
    let event = sign_event("");
    assert_eq!(kind(Validation::new().check(&event, Some(&expected), now())), ErrorKind::MissingApplicationToken);
}

#[test]
fn expected_tokens_compare_equal_only_when_equal() {
    assert_eq!(expected(), expected());
    assert_ne!(expected(), ApplicationToken::new(OTHER_TOKEN).unwrap());
    assert_ne!(expected(), ApplicationToken::new(&TOKEN[..31]).unwrap());
}

#[test]
fn check_verifies_the_event_against_the_expected_token() {
    let validation = Validation::new();
    assert_eq!(validation.check(&sign_event(TOKEN), Some(&expected()), now()), Ok(()));
    assert_eq!(kind(validation.check(&sign_event(OTHER_TOKEN), Some(&expected()), now())), ErrorKind::TokenMismatch);
    assert_eq!(kind(validation.check(&sign_event(&TOKEN[..16]), Some(&expected()), now())), ErrorKind::TokenMismatch);
}

#[test]
fn an_unknown_portal_is_refused_without_naming_it() {
    let error = Validation::new().check(&sign_event(TOKEN), None, now()).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::UnknownPortal { member_id: MEMBER.into() });
    assert_eq!(error.status_code(), 401);
    assert!(!error.to_string().contains(MEMBER), "{error}");
    // Through a store: a token stored for another portal does not help.
    let store = MemoryTokenStore::new();
    store.store(Portal::new("another-portal", "other.bitrix24.com", expected()));
    let error = Validation::new().receive(&sign_event(TOKEN), &store, now()).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::UnknownPortal { member_id: MEMBER.into() });
}

// ---------------------------------------------------------------------------------------------
// The store

#[test]
fn memory_store_stores_looks_up_and_forgets() {
    let store = MemoryTokenStore::default();
    assert!(store.is_empty());
    assert_eq!(store.token(MEMBER), None);
    store.store(Portal::new(MEMBER, DOMAIN, expected()));
    assert_eq!(store.len(), 1);
    assert_eq!(store.token(MEMBER), Some(expected()));
    assert_eq!(store.portal(MEMBER).map(|p| p.domain), Some(DOMAIN.to_owned()));
    // Storing again replaces.
    store.store(Portal::new(MEMBER, "renamed.bitrix24.com", ApplicationToken::new(OTHER_TOKEN).unwrap()));
    assert_eq!(store.len(), 1);
    assert_eq!(store.token(MEMBER), Some(ApplicationToken::new(OTHER_TOKEN).unwrap()));
    let forgotten = store.forget(MEMBER).unwrap();
    assert_eq!(forgotten.domain, "renamed.bitrix24.com");
    assert_eq!(store.forget(MEMBER), None);
    assert!(store.is_empty());
}

#[test]
fn memory_store_clones_share_portals_across_threads() {
    let store = MemoryTokenStore::new();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            thread::spawn(move || {
                let member_id = format!("member-{i}");
                store.store(Portal::new(
                    member_id.clone(),
                    DOMAIN,
                    ApplicationToken::new(format!("token-{i}")).unwrap(),
                ));
                assert!(store.token(&member_id).is_some());
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(store.len(), 8);
    for i in 0..8 {
        let token = store.token(&format!("member-{i}")).unwrap();
        assert_eq!(token.verify_str(&format!("token-{i}")), Ok(()));
    }
}

#[test]
fn stores_work_behind_arc_box_and_references() {
    fn assert_store<S: TokenStore>(_: &S) {}
    let memory = MemoryTokenStore::new();
    let shared: Arc<dyn TokenStore> = Arc::new(memory.clone());
    let boxed: Box<dyn TokenStore> = Box::new(memory.clone());
    assert_store(&shared);
    assert_store(&boxed);
    assert_store(&&memory);
    let validation = Validation::new();
    assert_eq!(validation.receive(&install(TOKEN), &shared, now()), Ok(Action::Stored { member_id: MEMBER.into() }));
    assert_eq!(validation.receive(&sign_event(TOKEN), &boxed, now()), Ok(Action::Verified));
    assert_eq!(memory.token(MEMBER), Some(expected()));
}

// ---------------------------------------------------------------------------------------------
// The lifecycle, end to end on form bodies

#[test]
fn install_verify_update_uninstall_on_php_bodies() {
    let validation = Validation::new();
    let store = MemoryTokenStore::new();

    // ONAPPINSTALL exactly as PHP encodes it: the portal is stored with its tokens.
    let php_install = decode(PHP_INSTALL);
    assert_eq!(validation.receive(&php_install, &store, now()), Ok(Action::Stored { member_id: MEMBER.into() }));
    let portal = store.portal(MEMBER).unwrap();
    assert_eq!(portal.member_id, MEMBER);
    assert_eq!(portal.domain, DOMAIN);
    assert_eq!(portal.client_endpoint.as_deref(), Some("https://some-domain.bitrix24.com/rest/"));
    assert_eq!(portal.application_token, expected());
    assert_eq!(portal.version, Some(1));
    let tokens = portal.tokens.unwrap();
    assert_eq!(tokens.access_token.secret(), ACCESS);
    assert_eq!(tokens.refresh_token.as_ref().map(Secret::secret), Some(REFRESH));
    assert_eq!((tokens.expires_in, tokens.expires, tokens.user_id), (Some(3600), Some(1_770_378_545), Some(1)));

    // Later events are verified against it.
    assert_eq!(validation.receive(&sign_event(TOKEN), &store, now()), Ok(Action::Verified));
    assert_eq!(kind(validation.receive(&sign_event(OTHER_TOKEN), &store, now())), ErrorKind::TokenMismatch);

    // An uninstall with the wrong token changes nothing.
    assert_eq!(kind(validation.receive(&uninstall(OTHER_TOKEN), &store, now())), ErrorKind::TokenMismatch);
    assert_eq!(store.token(MEMBER), Some(expected()));

    // ONAPPUNINSTALL exactly as PHP encodes it: verified by its token alone, then forgotten.
    let uninstall = decode(PHP_UNINSTALL);
    assert!(uninstall.oauth_tokens().is_none());
    assert_eq!(validation.receive(&uninstall, &store, now()), Ok(Action::Forgotten { member_id: MEMBER.into() }));
    assert!(store.is_empty());

    // From then on the portal is unknown, uninstall included.
    assert!(matches!(kind(validation.receive(&sign_event(TOKEN), &store, now())), ErrorKind::UnknownPortal { .. }));
    assert!(matches!(kind(validation.receive(&uninstall, &store, now())), ErrorKind::UnknownPortal { .. }));

    // A reinstall with a new token starts over.
    assert_eq!(
        validation.receive(&install(OTHER_TOKEN), &store, now()),
        Ok(Action::Stored { member_id: MEMBER.into() })
    );
    assert_eq!(validation.receive(&sign_event(OTHER_TOKEN), &store, now()), Ok(Action::Verified));
    assert_eq!(kind(validation.receive(&sign_event(TOKEN), &store, now())), ErrorKind::TokenMismatch);
}

#[test]
fn update_with_the_stored_token_refreshes_the_portal() {
    let validation = Validation::new();
    let store = MemoryTokenStore::new();
    validation.receive(&install(TOKEN), &store, now()).unwrap();
    assert_eq!(validation.receive(&update(TOKEN, "2"), &store, now()), Ok(Action::Stored { member_id: MEMBER.into() }));
    assert_eq!(store.portal(MEMBER).unwrap().version, Some(2));
}

#[test]
fn first_use_refuses_a_changed_token_on_install_or_update() {
    let validation = Validation::new();
    let store = MemoryTokenStore::new();
    validation.receive(&install(TOKEN), &store, now()).unwrap();
    for forged in [install(OTHER_TOKEN), update(OTHER_TOKEN, "9")] {
        let error = validation.receive(&forged, &store, now()).unwrap_err();
        assert_eq!(
            error.kind(),
            &ErrorKind::InstallRefused { member_id: MEMBER.into(), reason: InstallRefusal::TokenChanged }
        );
        assert_eq!(error.status_code(), 403);
    }
    // The real token still works; the forged one does not.
    assert_eq!(store.token(MEMBER), Some(expected()));
    assert_eq!(store.portal(MEMBER).unwrap().version, Some(1));
    assert_eq!(validation.receive(&sign_event(TOKEN), &store, now()), Ok(Action::Verified));
}

#[test]
fn overwrite_replaces_the_token_on_every_install_and_update() {
    let validation = Validation::new().install_trust(InstallTrust::Overwrite);
    let store = MemoryTokenStore::new();
    validation.receive(&install(TOKEN), &store, now()).unwrap();
    assert_eq!(
        validation.receive(&update(OTHER_TOKEN, "2"), &store, now()),
        Ok(Action::Stored { member_id: MEMBER.into() })
    );
    assert_eq!(validation.receive(&sign_event(OTHER_TOKEN), &store, now()), Ok(Action::Verified));
    assert_eq!(kind(validation.receive(&sign_event(TOKEN), &store, now())), ErrorKind::TokenMismatch);
}

#[test]
fn provisioned_accepts_only_pre_provisioned_portals_with_their_token() {
    let validation = Validation::new().install_trust(InstallTrust::Provisioned);
    let store = MemoryTokenStore::new();
    let refused = |reason| ErrorKind::InstallRefused { member_id: MEMBER.into(), reason };

    assert_eq!(kind(validation.receive(&install(TOKEN), &store, now())), refused(InstallRefusal::NotProvisioned));
    assert!(store.is_empty());

    store.store(Portal::new(MEMBER, DOMAIN, expected()));
    assert_eq!(kind(validation.receive(&install(OTHER_TOKEN), &store, now())), refused(InstallRefusal::TokenChanged));
    assert_eq!(validation.receive(&install(TOKEN), &store, now()), Ok(Action::Stored { member_id: MEMBER.into() }));
    // The install filled in what provisioning did not know.
    assert!(store.portal(MEMBER).unwrap().tokens.is_some());
}

#[test]
fn the_domain_allow_list_limits_who_may_install() {
    let validation = Validation::new().allow_domain("other.bitrix24.com");
    let store = MemoryTokenStore::new();
    assert_eq!(
        kind(validation.receive(&install(TOKEN), &store, now())),
        ErrorKind::InstallRefused { member_id: MEMBER.into(), reason: InstallRefusal::DomainNotAllowed }
    );
    assert!(store.is_empty());
    // Compared ignoring ASCII case; several domains may be allowed.
    let validation = validation.allow_domain("SOME-DOMAIN.Bitrix24.com");
    assert_eq!(validation.receive(&install(TOKEN), &store, now()), Ok(Action::Stored { member_id: MEMBER.into() }));
    // Other events are verified by token only.
    let strict = Validation::new().allow_domain("other.bitrix24.com");
    assert_eq!(strict.receive(&sign_event(TOKEN), &store, now()), Ok(Action::Verified));
}

#[test]
fn an_install_without_token_or_member_id_is_refused() {
    let store = MemoryTokenStore::new();
    let validation = Validation::new().install_trust(InstallTrust::Overwrite);
    let no_token =
        decode(&body("ONAPPINSTALL", None, &[("VERSION", "1")], TS, &[("domain", DOMAIN), ("member_id", MEMBER)]));
    assert_eq!(kind(validation.receive(&no_token, &store, now())), ErrorKind::MissingApplicationToken);
    let empty_token = install("");
    assert_eq!(kind(validation.receive(&empty_token, &store, now())), ErrorKind::MissingApplicationToken);
    let no_member = decode(&body(
        "ONAPPINSTALL",
        None,
        &[("VERSION", "1")],
        TS,
        &[("domain", DOMAIN), ("member_id", ""), ("application_token", TOKEN)],
    ));
    assert_eq!(
        kind(validation.receive(&no_member, &store, now())),
        ErrorKind::Missing { path: "auth[member_id]".into() }
    );
    assert!(store.is_empty());
}

/// A stand-in for an async database: `decide` looks at nothing but what it is given.
#[test]
fn decide_lets_async_stores_run_the_lifecycle_themselves() {
    let validation = Validation::new();
    let mut db = std::collections::HashMap::<String, Portal>::new();
    let mut run = |event: &AnyEvent| -> Result<&'static str, Error> {
        let stored = db.get(&event.auth().member_id).map(|p| p.application_token.clone()); // `.await` here
        match validation.decide(event, stored.as_ref(), now())? {
            Decision::Store(portal) => {
                db.insert(portal.member_id.clone(), portal);
                Ok("store")
            }
            Decision::Forget { member_id } => {
                db.remove(&member_id);
                Ok("forget")
            }
            Decision::Accept => Ok("accept"),
            _ => unreachable!(),
        }
    };
    assert_eq!(run(&install(TOKEN)), Ok("store"));
    assert_eq!(run(&sign_event(TOKEN)), Ok("accept"));
    assert_eq!(kind(run(&sign_event(OTHER_TOKEN))), ErrorKind::TokenMismatch);
    assert_eq!(run(&uninstall(TOKEN)), Ok("forget"));
    assert!(matches!(kind(run(&sign_event(TOKEN))), ErrorKind::UnknownPortal { .. }));
}

#[test]
fn decision_apply_reports_what_it_did() {
    let store = MemoryTokenStore::new();
    let portal = Portal::from_event(&install(TOKEN)).unwrap();
    assert_eq!(Decision::Store(portal).apply(&store), Action::Stored { member_id: MEMBER.into() });
    assert_eq!(Decision::Accept.apply(&store), Action::Verified);
    assert_eq!(
        Decision::Forget { member_id: MEMBER.into() }.apply(&store),
        Action::Forgotten { member_id: MEMBER.into() }
    );
    assert!(store.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Missing tokens

#[test]
fn every_missing_token_helper_on_a_body_without_tokens() {
    let event = sign_event(TOKEN);
    assert!(event.auth().access_token.is_none());
    assert_eq!(event.oauth_tokens(), None);
    assert!(!event.has_user());
    let error = event.require_tokens().unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::MissingTokens);
    assert_eq!(error.status_code(), 422);
    assert_eq!(kind(event.tokens_or(None)), ErrorKind::MissingTokens);
    let stored = OAuthTokens::new(Secret::new("stored-access")).with_refresh_token(Secret::new("stored-refresh"));
    assert_eq!(event.tokens_or(Some(&stored)), Ok(stored.clone()));

    // The same on the typed event and on the auth block.
    let typed: Event<DocumentStatusChanged> = from_form(
        body(
            "ONSIGNB2EDOCUMENTSTATUSCHANGED",
            Some("12"),
            &[("documentUid", "R-LK-50JI-3AAK-WS1A"), ("statusCode", "signing")],
            TS,
            &bare_auth(MEMBER, TOKEN),
        )
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(typed.oauth_tokens(), None);
    assert!(!typed.has_user());
    assert_eq!(kind(typed.require_tokens()), ErrorKind::MissingTokens);
    assert_eq!(typed.tokens_or(Some(&stored)), Ok(stored.clone()));
    assert_eq!(kind(typed.tokens_or(None)), ErrorKind::MissingTokens);
    assert!(!typed.auth.has_user());
    assert_eq!(kind(typed.auth.require_tokens()), ErrorKind::MissingTokens);

    // The uninstall PHP body carries none either.
    let uninstall = decode(PHP_UNINSTALL);
    assert!(!uninstall.has_user());
    assert_eq!(kind(uninstall.require_tokens()), ErrorKind::MissingTokens);
}

#[test]
fn tokens_are_one_value_when_present() {
    let event = decode(PHP_INSTALL);
    assert!(event.has_user());
    let tokens = event.require_tokens().unwrap();
    assert_eq!(tokens.access_token.secret(), ACCESS);
    assert_eq!(tokens.refresh_token.as_ref().map(Secret::secret), Some(REFRESH));
    assert_eq!(tokens.expires_in, Some(3600));
    assert_eq!(tokens.expires, Some(1_770_378_545));
    assert_eq!(tokens.user_id, Some(1));
    assert_eq!(tokens.scope.as_deref(), Some("crm,sign.b2e,user_brief"));
    assert_eq!(event.oauth_tokens(), Some(tokens.clone()));
    // The event's own tokens win over stored ones.
    let stored = OAuthTokens::new(Secret::new("stored-access"));
    assert_eq!(event.tokens_or(Some(&stored)), Ok(tokens));
}

#[test]
fn what_counts_as_present() {
    let with = |auth: &[(&str, &str)]| {
        let mut all = vec![("domain", DOMAIN), ("member_id", MEMBER), ("application_token", TOKEN)];
        all.extend_from_slice(auth);
        decode(&body("ONCRMLEADADD", Some("1"), &[("ID", "1")], TS, &all))
    };
    // An access token without expiry or refresh token is present.
    let only_access = with(&[("access_token", ACCESS)]);
    let tokens = only_access.oauth_tokens().unwrap();
    assert_eq!((tokens.refresh_token, tokens.expires_in, tokens.expires), (None, None, None));
    assert!(only_access.has_user());
    // A refresh token alone is not.
    let only_refresh = with(&[("refresh_token", REFRESH)]);
    assert_eq!(only_refresh.oauth_tokens(), None);
    assert!(!only_refresh.has_user());
    // Empty tokens count as absent.
    let empty = with(&[("access_token", ""), ("refresh_token", "")]);
    assert_eq!(empty.oauth_tokens(), None);
    assert!(!empty.has_user());
    let empty_refresh = with(&[("access_token", ACCESS), ("refresh_token", "")]);
    assert_eq!(empty_refresh.oauth_tokens().unwrap().refresh_token, None);
}

#[test]
fn expiry_by_a_fixed_clock() {
    let tokens = OAuthTokens::new(Secret::new(ACCESS)).with_expires_in(3600).with_expires(TS + 3600);
    assert!(!tokens.is_expired(at(TS)));
    assert!(!tokens.is_expired(at(TS + 3599)));
    assert!(tokens.is_expired(at(TS + 3600)));
    // Unknown expiry: not known to be expired.
    assert!(!OAuthTokens::new(Secret::new(ACCESS)).with_expires_in(3600).is_expired(at(u64::from(u32::MAX))));
}

// ---------------------------------------------------------------------------------------------
// Freshness

#[test]
fn no_age_limit_by_default() {
    let store = MemoryTokenStore::new();
    store.store(Portal::new(MEMBER, DOMAIN, expected()));
    let ancient = member_status(MEMBER, TOKEN, "done", 1);
    assert_eq!(Validation::new().receive(&ancient, &store, now()), Ok(Action::Verified));
    let future = member_status(MEMBER, TOKEN, "done", TS + 86_400 * 365);
    assert_eq!(Validation::default().receive(&future, &store, now()), Ok(Action::Verified));
}

#[test]
fn max_age_with_a_fixed_clock() {
    let validation = Validation::new().max_age(Duration::from_secs(600));
    let now = at(TS);
    let event_at = |ts| member_status(MEMBER, TOKEN, "done", ts);
    let check = |ts| validation.check(&event_at(ts), Some(&expected()), now);
    assert_eq!(check(TS), Ok(()));
    assert_eq!(check(TS - 600), Ok(()));
    assert_eq!(check(TS + 300), Ok(()));
    let error = check(TS - 601).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::Stale { ts: TS - 601, now: TS, max_age: 600, max_skew: 300 });
    assert_eq!(error.status_code(), 401);
    assert!(!error.to_string().contains(&(TS - 601).to_string()), "{error}");
    assert!(matches!(kind(check(TS + 301)), ErrorKind::Stale { .. }));
    assert!(matches!(kind(check(0)), ErrorKind::Stale { .. }));
    assert!(matches!(kind(check(u64::MAX)), ErrorKind::Stale { .. }));

    // A different skew; the bare `check_age` agrees.
    let tight = Validation::new().max_age(Duration::from_secs(60)).max_future_skew(Duration::ZERO);
    assert_eq!(tight.check_age(TS, now), Ok(()));
    assert!(tight.check_age(TS + 1, now).is_err());
    assert!(tight.check_age(TS - 61, now).is_err());
    assert_eq!(Validation::new().check_age(0, now), Ok(()));

    // A clock before 1970 counts as 1970.
    let before_epoch = UNIX_EPOCH - Duration::from_secs(10);
    assert_eq!(validation.check_age(0, before_epoch), Ok(()));
    assert!(validation.check_age(TS, before_epoch).is_err());

    // The token is checked before the age: a forged old event is a mismatch.
    let forged = member_status(MEMBER, OTHER_TOKEN, "done", TS - 10_000);
    assert_eq!(kind(validation.check(&forged, Some(&expected()), now)), ErrorKind::TokenMismatch);
}

#[test]
fn a_stale_install_is_not_stored() {
    let validation = Validation::new().max_age(Duration::from_secs(60));
    let store = MemoryTokenStore::new();
    assert!(matches!(kind(validation.receive(&install(TOKEN), &store, at(TS + 61))), ErrorKind::Stale { .. }));
    assert!(store.is_empty());
    assert_eq!(
        validation.receive(&install(TOKEN), &store, at(TS + 60)),
        Ok(Action::Stored { member_id: MEMBER.into() })
    );
    assert!(matches!(kind(validation.receive(&uninstall(TOKEN), &store, at(TS + 61))), ErrorKind::Stale { .. }));
    assert_eq!(store.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Deduplication

#[test]
fn dedup_keys_are_equal_for_repeats() {
    let first = member_status(MEMBER, TOKEN, "ready", TS);
    // Bitrix24 repeats `ready`: later, with other tokens (or none), it is the same key.
    let repeat = member_status(MEMBER, TOKEN, "ready", TS + 5);
    assert_eq!(first.dedup_key(), repeat.dedup_key());
    let with_user = decode(&body(
        "ONSIGNB2EMEMBERSTATUSCHANGED",
        Some("1211"),
        &[
            ("memberUid", "2ditmm6vjoolzbygaeua2jltkjb9hgks"),
            ("documentUid", "R-LK-50JI-3AAK-WS1A"),
            ("statusCode", "ready"),
            ("statusName", ""),
        ],
        TS + 9,
        &user_auth(MEMBER, TOKEN),
    ));
    assert_eq!(first.dedup_key(), with_user.dedup_key());
    // The same event as JSON, numbers as numbers, the code in another case.
    let json: AnyEvent = from_json(
        format!(
            r#"{{"event":"OnSignB2eMemberStatusChanged","event_handler_id":1211,"data":{{"memberUid":"2ditmm6vjoolzbygaeua2jltkjb9hgks",
            "documentUid":"R-LK-50JI-3AAK-WS1A","statusCode":"ready","statusName":""}},"ts":{TS},
            "auth":{{"domain":"{DOMAIN}","member_id":"{MEMBER}","application_token":"{TOKEN}"}}}}"#
        )
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(first.dedup_key(), json.dedup_key());
    // The typed event gives the same key.
    let AnyEvent::MemberStatusChanged(typed) = &first else { panic!() };
    assert_eq!(typed.dedup_key(), Ok(first.dedup_key()));
}

#[test]
fn dedup_keys_differ_for_different_events() {
    let base = member_status(MEMBER, TOKEN, "ready", TS);
    let key = base.dedup_key();
    for status in ["wait", "done", "refused", "stopped", "undefined", "something-new"] {
        assert_ne!(member_status(MEMBER, TOKEN, status, TS).dedup_key(), key, "{status}");
    }
    assert_ne!(member_status("another-member-id", TOKEN, "ready", TS).dedup_key(), key);
    let other_handler =
        decode(&form::to_string(&base).unwrap().replace("event_handler_id=1211", "event_handler_id=1212"));
    assert_ne!(other_handler.dedup_key(), key);
    let no_handler = decode(&form::to_string(&base).unwrap().replace("event_handler_id=1211&", ""));
    assert_ne!(no_handler.dedup_key(), key);
    let other_document = decode(&form::to_string(&base).unwrap().replace("R-LK-50JI-3AAK-WS1A", "R-LK-50JI-3AAK-WS1B"));
    assert_ne!(other_document.dedup_key(), key);
    // Unknown events: the data decides too.
    let lead = |id| decode(&body("ONCRMLEADADD", Some("7"), &[("ID", id)], TS, &bare_auth(MEMBER, TOKEN)));
    assert_eq!(lead("365").dedup_key(), lead("365").dedup_key());
    assert_ne!(lead("365").dedup_key(), lead("366").dedup_key());
    let update = decode(&body("ONCRMLEADUPDATE", Some("7"), &[("ID", "365")], TS, &bare_auth(MEMBER, TOKEN)));
    assert_ne!(lead("365").dedup_key(), update.dedup_key());
}

#[test]
fn dedup_key_is_stable_across_versions() {
    // Pinned (computed independently, in Python, from the documented derivation): a change here
    // breaks keys users have stored.
    let key = member_status(MEMBER, TOKEN, "done", TS).dedup_key();
    assert_eq!(key.to_string(), PINNED_DEDUP_KEY);
    assert_eq!(key.as_bytes().len(), 32);
    assert_eq!(format!("{key:?}"), format!("DedupKey({PINNED_DEDUP_KEY})"));
}

const PINNED_DEDUP_KEY: &str = "61cd77c8f7aef45ab0861b5b986c41d8517f6e848257bbbab10c248f6cd78db2";

// ---------------------------------------------------------------------------------------------
// No secret in Debug

const SECRETS: [&str; 4] = [TOKEN, ACCESS, REFRESH, OTHER_TOKEN];

fn assert_no_secret(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} shows a secret: {text}");
    }
}

fn assert_debug_clean<T: std::fmt::Debug>(what: &str, value: &T) {
    assert_no_secret(what, &format!("{value:?}"));
    assert_no_secret(what, &format!("{value:#?}"));
}

#[test]
fn debug_of_every_auth_carrying_type_shows_no_secret() {
    let php_install = decode(PHP_INSTALL);
    assert!(form::to_string(&php_install).unwrap().contains(TOKEN), "the fixture must carry the secrets");
    assert_debug_clean("AnyEvent", &php_install);
    let AnyEvent::AppInstall(typed) = &php_install else { panic!() };
    assert_debug_clean("Event", typed);
    assert_debug_clean("Auth", &typed.auth);
    let auth: &Auth = php_install.auth();
    assert_debug_clean("Auth", auth);
    for event in [update(TOKEN, "2"), uninstall(TOKEN), sign_event(TOKEN)] {
        assert_debug_clean("AnyEvent", &event);
    }
    assert_debug_clean("Secret", &Secret::new(TOKEN));
    assert_eq!(format!("{}", Secret::new(TOKEN)), "[redacted]");
    let expected = expected();
    assert_debug_clean("ApplicationToken", &expected);
    assert_eq!(format!("{expected}"), "[redacted]");
    let tokens = php_install.oauth_tokens().unwrap();
    assert_debug_clean("OAuthTokens", &tokens);
    let portal = Portal::from_event(&php_install).unwrap();
    assert_debug_clean("Portal", &portal);
    assert_debug_clean("Decision", &Decision::Store(portal.clone()));
    let store = MemoryTokenStore::new();
    store.store(portal);
    assert_debug_clean("MemoryTokenStore", &store);
    assert!(format!("{store:?}").contains(MEMBER));
    assert_debug_clean("Action", &Validation::new().receive(&sign_event(TOKEN), &store, now()));
    assert_debug_clean("Validation", &Validation::new().allow_domain(DOMAIN));

    // Errors from wrong, missing and unknown tokens show neither token (nor the member id).
    let errors = [
        Validation::new().receive(&sign_event(OTHER_TOKEN), &store, now()).unwrap_err(),
        Validation::new().receive(&install(OTHER_TOKEN), &store, now()).unwrap_err(),
        Validation::new().check(&sign_event(TOKEN), None, now()).unwrap_err(),
        expected.verify(Some(&Secret::new(&TOKEN[..5]))).unwrap_err(),
        decode(PHP_UNINSTALL).require_tokens().unwrap_err(),
    ];
    for error in errors {
        assert_no_secret("Error Display", &error.to_string());
        assert_debug_clean("Error", &error);
        assert!(!error.to_string().contains(MEMBER), "{error}");
    }
}
