//! The HTTP edge: Content-Type dispatch, limits, verification from `http` types, and the status
//! code of every error kind.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bitrix24_events::{
    Action, AnyEvent, ApplicationToken, Decoder, Error, ErrorKind, InstallRefusal, InstallTrust, Limits,
    MemoryTokenStore, Portal, Secret, TokenStore, Validation, check_content_length, decode_parts, decode_request,
    receive, receive_request,
};
use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Request, StatusCode};

const MEMBER: &str = "60133c09d1f5d0fd6d7884a11fad4585";
const TOKEN: &str = "81905784dd6e05280c9a2015e0e61e68";
const FORGED: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const TS: u64 = 1_770_374_945;
const FORM: &str = "application/x-www-form-urlencoded";

/// The sign.b2e seed event as Bitrix24 posts it (no OAuth tokens).
fn sign_body(token: &str) -> String {
    format!(
        "event=ONSIGNB2EMEMBERSTATUSCHANGED&event_handler_id=1211\
         &data%5BmemberUid%5D=2ditmm6vjoolzbygaeua2jltkjb9hgks&data%5BdocumentUid%5D=R-LK-50JI-3AAK-WS1A\
         &data%5BstatusCode%5D=done&data%5BstatusName%5D=Signed&ts={TS}\
         &auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bmember_id%5D={MEMBER}&auth%5Bapplication_token%5D={token}"
    )
}

fn sign_json(token: &str) -> String {
    format!(
        r#"{{"event":"ONSIGNB2EMEMBERSTATUSCHANGED","event_handler_id":"1211","data":{{"memberUid":"2ditmm6vjoolzbygaeua2jltkjb9hgks",
        "documentUid":"R-LK-50JI-3AAK-WS1A","statusCode":"done","statusName":"Signed"}},"ts":"{TS}",
        "auth":{{"domain":"some-domain.bitrix24.com","member_id":"{MEMBER}","application_token":"{token}"}}}}"#
    )
}

fn install_body(token: &str) -> String {
    format!(
        "event=ONAPPINSTALL&data%5BVERSION%5D=1&data%5BACTIVE%5D=Y&data%5BINSTALLED%5D=Y&data%5BLANGUAGE_ID%5D=en\
         &ts={TS}&auth%5Baccess_token%5D=acc355&auth%5Bexpires_in%5D=3600&auth%5Bdomain%5D=some-domain.bitrix24.com\
         &auth%5Bmember_id%5D={MEMBER}&auth%5Buser_id%5D=1&auth%5Brefresh_token%5D=r3fr35h\
         &auth%5Bapplication_token%5D={token}"
    )
}

fn uninstall_body(token: &str) -> String {
    format!(
        "event=ONAPPUNINSTALL&data%5BCLEAN%5D=0&data%5BLANGUAGE_ID%5D=en&ts={TS}\
         &auth%5Bdomain%5D=some-domain.bitrix24.com&auth%5Bmember_id%5D={MEMBER}&auth%5Bapplication_token%5D={token}"
    )
}

fn headers(content_type: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
    headers
}

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(TS + 1)
}

fn status(result: Result<impl std::fmt::Debug, Error>) -> StatusCode {
    result.expect_err("expected an error").status_code()
}

fn known_store() -> MemoryTokenStore {
    let store = MemoryTokenStore::new();
    store.store(Portal::new(MEMBER, "some-domain.bitrix24.com", ApplicationToken::new(TOKEN).unwrap()));
    store
}

#[test]
fn content_type_chooses_form_or_json() {
    let decoder = Decoder::default();
    let from_form = decode_parts(&headers(FORM), sign_body(TOKEN).as_bytes(), &decoder).unwrap();
    let from_json = decode_parts(&headers("application/json"), sign_json(TOKEN).as_bytes(), &decoder).unwrap();
    assert_eq!(from_form, from_json);
    assert!(matches!(from_form, AnyEvent::MemberStatusChanged(_)));
    let with_charset = decode_parts(
        &headers("application/x-www-form-urlencoded; charset=UTF-8"),
        sign_body(TOKEN).as_bytes(),
        &decoder,
    );
    assert_eq!(with_charset.unwrap(), from_form);
}

#[test]
fn requests_with_any_byte_body_decode() {
    let decoder = Decoder::default();
    let vec = Request::post("/b24").header(CONTENT_TYPE, FORM).body(sign_body(TOKEN).into_bytes()).unwrap();
    let string = Request::post("/b24").header(CONTENT_TYPE, FORM).body(sign_body(TOKEN)).unwrap();
    let body = sign_body(TOKEN);
    let slice = Request::post("/b24").header(CONTENT_TYPE, FORM).body(body.as_bytes()).unwrap();
    let a = decode_request(&vec, &decoder).unwrap();
    assert_eq!(decode_request(&string, &decoder).unwrap(), a);
    assert_eq!(decode_request(&slice, &decoder).unwrap(), a);
    assert_eq!(a.auth().member_id, MEMBER);
}

#[test]
fn a_missing_or_other_media_type_is_415() {
    let decoder = Decoder::default();
    let body = sign_body(TOKEN);
    let cases = [
        HeaderMap::new(),
        headers("text/plain"),
        headers("multipart/form-data; boundary=x"),
        headers("application/x-www-form-urlencoded; charset=ISO-8859-1"),
        {
            let mut twice = headers(FORM);
            twice.append(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            twice
        },
        {
            let mut opaque = HeaderMap::new();
            opaque.insert(CONTENT_TYPE, HeaderValue::from_bytes(b"application/\xffjson").unwrap());
            opaque
        },
    ];
    for headers in cases {
        let error = decode_parts(&headers, body.as_bytes(), &decoder).unwrap_err();
        assert!(matches!(error.kind(), ErrorKind::UnsupportedMediaType { .. }), "{error}");
        assert_eq!(error.status_code(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{headers:?}");
    }
}

#[test]
fn limits_are_413() {
    let mut limits = Limits::default();
    limits.max_body_bytes = 64;
    let small = Decoder::new(limits);
    let body = sign_body(TOKEN);
    let error = decode_parts(&headers(FORM), body.as_bytes(), &small).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::BodyTooLarge { size: body.len(), limit: 64 });
    assert_eq!(error.status_code(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(status(decode_parts(&headers("application/json"), sign_json(TOKEN).as_bytes(), &small)), 413);

    let mut limits = Limits::default();
    limits.max_pairs = 3;
    let few = Decoder::new(limits);
    let error = decode_parts(&headers(FORM), body.as_bytes(), &few).unwrap_err();
    assert_eq!(error.kind(), &ErrorKind::TooManyPairs { limit: 3 });
    assert_eq!(error.status_code(), 413);
}

#[test]
fn content_length_is_checked_before_reading() {
    let limits = Limits::default();
    let mut headers = headers(FORM);
    assert_eq!(check_content_length(&headers, &limits), Ok(()));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(limits.max_body_bytes));
    assert_eq!(check_content_length(&headers, &limits), Ok(()));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(limits.max_body_bytes + 1));
    let error = check_content_length(&headers, &limits).unwrap_err();
    assert_eq!(
        error.kind(),
        &ErrorKind::BodyTooLarge { size: limits.max_body_bytes + 1, limit: limits.max_body_bytes }
    );
    assert_eq!(error.status_code(), 413);
    headers.insert(CONTENT_LENGTH, HeaderValue::from_static("lots"));
    assert_eq!(check_content_length(&headers, &limits), Ok(()));
}

#[test]
fn malformed_bodies_are_400() {
    let decoder = Decoder::default();
    let cases: [(&str, &[u8]); 6] = [
        ("application/json", b"{\"event\":"),
        ("application/json", b"[1,2]"),
        (FORM, b"event=ONFOO&data=1&ts=1&auth%5Bdomain%5D=d&auth%5Bmember_id%5D=m\0"),
        (FORM, b"event=ONFOO&data=1&auth%5Bdomain%5D=d&auth%5Bmember_id%5D=m"),
        (FORM, b"event=ONFOO&data=1&ts=soon&auth%5Bdomain%5D=d&auth%5Bmember_id%5D=m"),
        (FORM, b"event=ONFOO&data=%FF&ts=1&auth%5Bdomain%5D=d&auth%5Bmember_id%5D=m"),
    ];
    for (content_type, body) in cases {
        let error = decode_parts(&headers(content_type), body, &decoder).unwrap_err();
        assert_eq!(error.status_code(), StatusCode::BAD_REQUEST, "{error}");
    }
    let deep = format!("event=ONFOO&data{}=1&ts=1&auth%5Bdomain%5D=d&auth%5Bmember_id%5D=m", "[a]".repeat(70));
    let error = decode_parts(&headers(FORM), deep.as_bytes(), &decoder).unwrap_err();
    assert!(matches!(error.kind(), ErrorKind::TooDeep { .. }), "{error}");
    assert_eq!(error.status_code(), 400);
}

#[test]
fn receive_runs_the_whole_lifecycle_from_headers_and_bytes() {
    let (decoder, validation, store) = (Decoder::default(), Validation::new(), MemoryTokenStore::new());
    let form = headers(FORM);
    let go = |body: String| receive(&form, body.as_bytes(), &decoder, &validation, &store, now());

    // Nothing installed yet.
    assert_eq!(status(go(sign_body(TOKEN))), StatusCode::UNAUTHORIZED);
    let (event, action) = go(install_body(TOKEN)).unwrap();
    assert!(matches!(event, AnyEvent::AppInstall(_)));
    assert_eq!(action, Action::Stored { member_id: MEMBER.into() });
    assert_eq!(store.portal(MEMBER).unwrap().tokens.unwrap().access_token.secret(), "acc355");

    let (event, action) = go(sign_body(TOKEN)).unwrap();
    assert_eq!(action, Action::Verified);
    assert_eq!(event.dedup_key(), go(sign_body(TOKEN)).unwrap().0.dedup_key());

    assert_eq!(status(go(sign_body(FORGED))), StatusCode::UNAUTHORIZED);
    assert_eq!(status(go(install_body(FORGED))), StatusCode::FORBIDDEN);
    assert_eq!(status(go(uninstall_body(FORGED))), StatusCode::UNAUTHORIZED);
    // JSON too, through an `http::Request`.
    let json = Request::post("/").header(CONTENT_TYPE, "application/json").body(sign_json(TOKEN)).unwrap();
    assert_eq!(receive_request(&json, &decoder, &validation, &store, now()).unwrap().1, Action::Verified);

    let (_, action) = go(uninstall_body(TOKEN)).unwrap();
    assert_eq!(action, Action::Forgotten { member_id: MEMBER.into() });
    assert!(store.is_empty());
    assert_eq!(status(go(sign_body(TOKEN))), StatusCode::UNAUTHORIZED);
}

#[test]
fn error_responses_never_echo_a_secret() {
    let (decoder, store) = (Decoder::default(), known_store());
    let validation = Validation::new().max_age(Duration::from_secs(1));
    let form = headers(FORM);
    let late = UNIX_EPOCH + Duration::from_secs(TS + 3600);
    let errors = [
        receive(&form, sign_body(FORGED).as_bytes(), &decoder, &validation, &store, now()).unwrap_err(),
        receive(&form, install_body(FORGED).as_bytes(), &decoder, &validation, &store, now()).unwrap_err(),
        receive(&form, sign_body(TOKEN).as_bytes(), &decoder, &validation, &store, late).unwrap_err(),
        receive(&form, sign_body(TOKEN).as_bytes(), &decoder, &validation, &MemoryTokenStore::new(), now())
            .unwrap_err(),
        // A token where a number belongs.
        receive(
            &form,
            sign_body(TOKEN).replace("ts=1770374945", &format!("ts={FORGED}")).as_bytes(),
            &decoder,
            &validation,
            &store,
            now(),
        )
        .unwrap_err(),
        // A token that is not a string.
        receive(
            &form,
            sign_body("").replace("application_token%5D=", &format!("application_token%5D%5B{FORGED}%5D=1")).as_bytes(),
            &decoder,
            &validation,
            &store,
            now(),
        )
        .unwrap_err(),
    ];
    for error in errors {
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains(FORGED) && !text.contains(TOKEN), "{text}");
        }
        // The text (what a response may carry) names no value from the body at all; `Debug` may
        // show the member id, which is not a secret, for your logs.
        assert!(!error.to_string().contains(MEMBER), "{error}");
    }
}

/// Every error kind and the status it maps to. `ErrorKind` is `#[non_exhaustive]`, so this list
/// is kept by hand; `Error::status_code` itself matches exhaustively inside the crate.
#[test]
fn status_code_of_every_error_kind() {
    let table: Vec<(ErrorKind, u16)> = vec![
        (ErrorKind::BodyTooLarge { size: 2, limit: 1 }, 413),
        (ErrorKind::TooManyPairs { limit: 1 }, 413),
        (ErrorKind::TooDeep { key: "data".into(), limit: 1 }, 400),
        (ErrorKind::InvalidUtf8 { key: "data".into() }, 400),
        (ErrorKind::NulByte { offset: 0 }, 400),
        (ErrorKind::Json { message: "EOF while parsing".into() }, 400),
        (ErrorKind::Missing { path: "auth[member_id]".into() }, 400),
        (ErrorKind::InvalidValue { path: "ts".into(), message: "expected u64 as text".into() }, 400),
        (ErrorKind::UnsupportedMediaType { media_type: "text/plain".into() }, 415),
        (ErrorKind::TokenMismatch, 401),
        (ErrorKind::UnknownPortal { member_id: MEMBER.into() }, 401),
        (ErrorKind::MissingApplicationToken, 401),
        (ErrorKind::Stale { ts: 1, now: 1000, max_age: 10, max_skew: 10 }, 401),
        (ErrorKind::InstallRefused { member_id: MEMBER.into(), reason: InstallRefusal::DomainNotAllowed }, 403),
        (ErrorKind::InstallRefused { member_id: MEMBER.into(), reason: InstallRefusal::NotProvisioned }, 403),
        (ErrorKind::InstallRefused { member_id: MEMBER.into(), reason: InstallRefusal::TokenChanged }, 403),
        (ErrorKind::MissingTokens, 422),
        (ErrorKind::EmptyToken, 500),
    ];
    for (kind, code) in table {
        let error = Error::from(kind.clone());
        assert_eq!(error.status_code(), code, "{kind:?}");
        // Messages name what failed, never the member id they carry.
        assert!(!error.to_string().contains(MEMBER), "{error}");
        assert!(!error.to_string().is_empty());
    }
}

/// The same mapping, reached through the real code paths rather than built by hand.
#[test]
fn status_codes_from_real_failures() {
    let (decoder, store) = (Decoder::default(), known_store());
    let form = headers(FORM);
    let validation = Validation::new();
    let run = |v: &Validation, body: String, store: &dyn TokenStore| {
        receive(&form, body.as_bytes(), &decoder, v, store, now()).map(|(_, action)| action)
    };
    assert_eq!(status(run(&validation, sign_body(FORGED), &store)), 401); // TokenMismatch
    assert_eq!(status(run(&validation, sign_body(""), &store)), 401); // MissingApplicationToken
    assert_eq!(status(run(&validation, sign_body(TOKEN), &MemoryTokenStore::new())), 401); // UnknownPortal
    let strict = Validation::new().max_age(Duration::from_secs(0)).max_future_skew(Duration::ZERO);
    assert_eq!(status(run(&strict, sign_body(TOKEN), &store)), 401); // Stale
    let provisioned = Validation::new().install_trust(InstallTrust::Provisioned);
    assert_eq!(status(run(&provisioned, install_body(TOKEN), &MemoryTokenStore::new())), 403); // InstallRefused
    let event = decode_parts(&form, sign_body(TOKEN).as_bytes(), &decoder).unwrap();
    assert_eq!(status(event.require_tokens()), 422); // MissingTokens
    assert_eq!(status(ApplicationToken::new("")), 500); // EmptyToken
    assert_eq!(status(ApplicationToken::try_from(&Secret::new(""))), 500);
}
