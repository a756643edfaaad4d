//! The typed model: the seed event in both encodings, the real captured bodies, every known event,
//! and every kind of bad input with the specific error it must give.

use bitrix24_events::{
    AnyEvent, AppInstall, AppStatus, AppUninstall, Decoder, DocumentStatus, ErrorKind, Event, Format, Key, Limits,
    MemberStatus, MemberStatusChanged, Value, form, from_body, from_form, from_json,
};

const SEED_FORM: &str = include_str!("../examples/data/member-status-changed.form");
const SEED_JSON: &str = include_str!("../examples/data/member-status-changed.json");

/// The real CRM body from bitrix24-events.md (tokens elided there; any text stands in).
const CRM_CONTACT_ADD: &str = "event=ONCRMCONTACTADD&event_handler_id=58&data%5BFIELDS%5D%5BID%5D=134806&ts=1727018926&auth%5Baccess_token%5D=be45f0000&auth%5Bexpires%5D=1727022526&auth%5Bexpires_in%5D=3600&auth%5Bscope%5D=crm%2Cplacement%2Cuser_brief&auth%5Bdomain%5D=bitrix24-php-sdk-playground.bitrix24.com&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bstatus%5D=L&auth%5Bclient_endpoint%5D=https%3A%2F%2Fbitrix24-php-sdk-playground.bitrix24.com%2Frest%2F&auth%5Bmember_id%5D=010b6886ebc205e43ae65000ee00addb&auth%5Buser_id%5D=1&auth%5Bapplication_token%5D=apptoken58";

/// The old outgoing-webhook body from bitrix24-events.md: no handler id, no tokens.
const OLD_LEAD_ADD: &str = "event=ONCRMLEADADD&data%5BFIELDS%5D%5BID%5D=365&ts=1545851621&auth%5Bdomain%5D=b24-46hovy.bitrix24.ru&auth%5Bclient_endpoint%5D=https%3A%2F%2Fb24-46hovy.bitrix24.ru%2Frest%2F&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bmember_id%5D=1b87798bc2d16c4b7f2a604e0c899a34&auth%5Bapplication_token%5D=o8kfcne3du24sfvoeahh43uf9oygu2x3";

fn seed_from_form() -> Event<MemberStatusChanged> {
    match from_form::<AnyEvent>(SEED_FORM.as_bytes()).unwrap() {
        AnyEvent::MemberStatusChanged(e) => e,
        other => panic!("wrong variant: {other:?}"),
    }
}

#[test]
fn seed_decodes_from_form_with_every_field() {
    let e = seed_from_form();
    assert_eq!(e.event, "ONSIGNB2EMEMBERSTATUSCHANGED");
    assert_eq!(e.event_handler_id, Some(1211));
    assert_eq!(e.data.member_uid, "2ditmm6vjoolzbygaeua2jltkjb9hgks");
    assert_eq!(e.data.document_uid, "R-LK-50JI-3AAK-WS1A");
    assert_eq!(e.data.company_uid, None);
    assert_eq!(e.data.status_code, MemberStatus::Done);
    assert_eq!(e.data.status_name, "Signed");
    assert_eq!(e.ts, 1770374945);
    let a = &e.auth;
    assert_eq!(a.access_token.as_ref().map(|s| s.secret()), Some("s6p6eclrvim6da22ft9ch94ekreb52lv"));
    assert_eq!(a.expires_in, Some(3600));
    assert_eq!(a.expires, None);
    assert_eq!(a.scope.as_deref(), Some("sign.b2e"));
    assert_eq!(a.domain, "some-domain.bitrix24.com");
    assert_eq!(a.server_endpoint.as_deref(), Some("https://oauth.bitrix.info/rest/"));
    assert_eq!(a.status, Some(AppStatus::Local));
    assert_eq!(a.client_endpoint.as_deref(), Some("https://some-domain.bitrix24.com/rest/"));
    assert_eq!(a.member_id, "60133c09d1f5d0fd6d7884a11fad4585");
    assert_eq!(a.refresh_token.as_ref().map(|s| s.secret()), Some("4s386p3q0tr8dy89xvmt96234v3dljg8"));
    assert_eq!(a.application_token.as_ref().map(|s| s.secret()), Some("81905784dd6e05280c9a2015e0e61e68"));
    assert_eq!(a.user_id, None);
    assert!(a.extra.is_empty());
}

#[test]
fn seed_json_and_form_are_equal_events() {
    let from_json_body: AnyEvent = from_json(SEED_JSON.as_bytes()).unwrap();
    assert_eq!(from_json_body, AnyEvent::MemberStatusChanged(seed_from_form()));
    // The typed entry point agrees with the dispatching one.
    let typed: Event<MemberStatusChanged> = from_json(SEED_JSON.as_bytes()).unwrap();
    assert_eq!(AnyEvent::MemberStatusChanged(typed), from_json_body);
    // And so does choosing by Content-Type.
    let by_type: AnyEvent = from_body(Some("application/json; charset=utf-8"), SEED_JSON.as_bytes()).unwrap();
    assert_eq!(by_type, from_json_body);
}

#[test]
fn serialize_writes_wire_names_and_round_trips() {
    let event = AnyEvent::MemberStatusChanged(seed_from_form());
    let json = serde_json::to_string(&event).unwrap();
    assert!(json.contains(r#""memberUid":"2ditmm6vjoolzbygaeua2jltkjb9hgks""#), "{json}");
    assert!(json.contains(r#""statusCode":"done""#), "{json}");
    assert!(json.contains(r#""event_handler_id":1211"#), "{json}");
    assert!(json.contains(r#""ts":1770374945"#), "{json}");
    assert_eq!(from_json::<AnyEvent>(json.as_bytes()).unwrap(), event);
    // The form rendering is byte for byte what PHP's http_build_query made of the seed JSON.
    assert_eq!(form::to_string(&event).unwrap(), SEED_FORM);
}

#[test]
fn real_captured_bodies_decode() {
    let AnyEvent::Other(crm) = from_form::<AnyEvent>(CRM_CONTACT_ADD.as_bytes()).unwrap() else { panic!() };
    assert_eq!(crm.event, "ONCRMCONTACTADD");
    assert_eq!(crm.event_handler_id, Some(58));
    assert_eq!(crm.data.pointer(&["FIELDS", "ID"]).and_then(Value::as_str), Some("134806"));
    assert_eq!(crm.auth.expires, Some(1727022526));
    assert_eq!(crm.auth.user_id, Some(1));
    assert_eq!(crm.auth.scopes().collect::<Vec<_>>(), ["crm", "placement", "user_brief"]);

    let AnyEvent::Other(lead) = from_form::<AnyEvent>(OLD_LEAD_ADD.as_bytes()).unwrap() else { panic!() };
    assert_eq!(lead.event_handler_id, None);
    assert!(lead.auth.access_token.is_none() && lead.auth.refresh_token.is_none());
    assert_eq!(lead.auth.status, None);
    assert_eq!(lead.auth.member_id, "1b87798bc2d16c4b7f2a604e0c899a34");
    // Unknown events keep their data and round-trip through both encodings.
    let any = AnyEvent::Other(lead);
    assert_eq!(from_form::<AnyEvent>(form::to_string(&any).unwrap().as_bytes()).unwrap(), any);
    assert_eq!(from_json::<AnyEvent>(&serde_json::to_vec(&any).unwrap()).unwrap(), any);
}

#[test]
fn event_codes_match_ignoring_case() {
    let body = SEED_FORM.replace("ONSIGNB2EMEMBERSTATUSCHANGED", "OnSignB2eMemberStatusChanged");
    let event: AnyEvent = from_form(body.as_bytes()).unwrap();
    assert!(matches!(&event, AnyEvent::MemberStatusChanged(_)));
    assert_eq!(event.code(), "OnSignB2eMemberStatusChanged", "the code is kept as received");
    assert!(event.is("ONSIGNB2EMEMBERSTATUSCHANGED"));
}

#[test]
fn every_known_event_types() {
    let auth = "&ts=1&auth%5Bdomain%5D=d.bitrix24.com&auth%5Bmember_id%5D=m1&auth%5Bapplication_token%5D=t";
    let cases = [
        (
            "event=ONSIGNB2EDOCUMENTSTATUSCHANGED&data%5BdocumentUid%5D=D1&data%5BcompanyUid%5D=C1&data%5BstatusCode%5D=signing&data%5BstatusName%5D=Signing+in+progress",
            "document",
        ),
        ("event=ONSIGNHCMLINKB2EDOCUMENTSIGNED&data%5Bid%5D=42&data%5Bcompany%5D=HCM1", "hcm"),
        (
            "event=ONAPPINSTALL&data%5BVERSION%5D=3&data%5BACTIVE%5D=Y&data%5BINSTALLED%5D=N&data%5BLANGUAGE_ID%5D=en",
            "install",
        ),
        ("event=ONAPPUPDATE&data%5BVERSION%5D=4&data%5BPREVIOUS_VERSION%5D=3&data%5BLANGUAGE_ID%5D=de", "update"),
        ("event=ONAPPUNINSTALL&data%5BCLEAN%5D=1&data%5BLANGUAGE_ID%5D=ru", "uninstall"),
    ];
    for (head, kind) in cases {
        let body = format!("{head}{auth}");
        let event: AnyEvent = from_form(body.as_bytes()).unwrap();
        match (kind, &event) {
            ("document", AnyEvent::DocumentStatusChanged(e)) => {
                assert_eq!(e.data.status_code, DocumentStatus::Signing);
                assert_eq!(e.data.company_uid.as_deref(), Some("C1"));
                assert_eq!(e.data.status_name, "Signing in progress");
            }
            ("hcm", AnyEvent::HcmLinkDocumentSigned(e)) => {
                assert_eq!((e.data.id, e.data.company.as_str()), (42, "HCM1"))
            }
            ("install", AnyEvent::AppInstall(e)) => {
                assert_eq!(e.data.version, 3);
                assert_eq!((e.data.active, e.data.installed), (Some(true), Some(false)));
                assert_eq!(e.data.language_id.as_deref(), Some("en"));
            }
            ("update", AnyEvent::AppUpdate(e)) => assert_eq!((e.data.version, e.data.previous_version), (4, Some(3))),
            ("uninstall", AnyEvent::AppUninstall(e)) => assert!(e.data.clean),
            _ => panic!("{kind}: wrong variant {event:?}"),
        }
        // Every known event survives both renderings unchanged.
        let json = serde_json::to_vec(&event).unwrap();
        assert_eq!(from_json::<AnyEvent>(&json).unwrap(), event, "{kind} via JSON");
        assert_eq!(form::to_string(&event).unwrap(), body, "{kind}: form rendering is the wire body");
    }
}

#[test]
fn flags_and_numbers_accept_both_spellings() {
    let json = br#"{"event":"ONAPPINSTALL","event_handler_id":7,"data":{"VERSION":"2","ACTIVE":true,"INSTALLED":"Y"},
        "ts":1770374945,"auth":{"domain":"d","member_id":"m","expires_in":"3600","user_id":5}}"#;
    let AnyEvent::AppInstall(e) = from_json::<AnyEvent>(json).unwrap() else { panic!() };
    assert_eq!((e.event_handler_id, e.data.version, e.ts), (Some(7), 2, 1770374945));
    assert_eq!((e.data.active, e.data.installed), (Some(true), Some(true)));
    assert_eq!((e.auth.expires_in, e.auth.user_id), (Some(3600), Some(5)));
    assert_eq!(serde_json::to_value(&e.data).unwrap()["ACTIVE"], "Y");
    let uninstall: Event<AppUninstall> =
        from_json(br#"{"event":"ONAPPUNINSTALL","data":{"CLEAN":0},"ts":"1","auth":{"domain":"d","member_id":"m"}}"#)
            .unwrap();
    assert!(!uninstall.data.clean);
}

#[test]
fn unknown_codes_and_fields_are_kept() {
    let body = SEED_FORM
        .replace("statusCode%5D=done", "statusCode%5D=archived")
        .replace("auth%5Bstatus%5D=L", "auth%5Bstatus%5D=X&auth%5Bnew_field%5D=v&auth%5Bnested%5D%5Ba%5D=1");
    let AnyEvent::MemberStatusChanged(e) = from_form::<AnyEvent>(body.as_bytes()).unwrap() else { panic!() };
    assert_eq!(e.data.status_code, MemberStatus::Other("archived".into()));
    assert_eq!(e.auth.status, Some(AppStatus::Other("X".into())));
    assert_eq!(e.auth.extra.get("new_field"), Some(&Value::from("v")));
    assert_eq!(e.auth.extra.keys().collect::<Vec<_>>(), [&Key::Str("new_field".into()), &Key::Str("nested".into())]);
    let any = AnyEvent::MemberStatusChanged(e);
    assert_eq!(from_json::<AnyEvent>(&serde_json::to_vec(&any).unwrap()).unwrap(), any);
}

#[test]
fn debug_and_redacted_never_show_secrets() {
    let event = AnyEvent::MemberStatusChanged(seed_from_form());
    let secrets =
        ["s6p6eclrvim6da22ft9ch94ekreb52lv", "4s386p3q0tr8dy89xvmt96234v3dljg8", "81905784dd6e05280c9a2015e0e61e68"];
    let shown = [
        format!("{event:?}"),
        format!("{:?}", event.auth()),
        serde_json::to_string(&event.redacted()).unwrap(),
        format!("{:?}", event.redacted()),
    ];
    for text in &shown {
        for secret in secrets {
            assert!(!text.contains(secret), "{text}");
        }
    }
    assert!(shown[0].contains("[redacted]"));
}

#[test]
fn typed_event_refuses_another_event() {
    let e = from_form::<Event<AppInstall>>(SEED_FORM.as_bytes()).unwrap_err();
    assert_eq!(e.path(), Some("event"), "{e}");
    assert!(e.to_string().contains("expected event ONAPPINSTALL"), "{e}");
    let e = from_json::<Event<AppInstall>>(SEED_JSON.as_bytes()).unwrap_err();
    assert_eq!(e.path(), Some("event"), "{e}");
}

/// Every bad input gives its own error, naming the key path or the limit, and never a secret.
#[test]
fn bad_inputs_give_specific_errors() {
    let missing_member = SEED_FORM.replace("&auth%5Bmember_id%5D=60133c09d1f5d0fd6d7884a11fad4585", "");
    let status_array = SEED_FORM.replace("data%5BstatusCode%5D=done", "data%5BstatusCode%5D%5B%5D=done");
    let bad_ts = SEED_FORM.replace("ts=1770374945", "ts=yesterday");
    let token_array = SEED_FORM.replace(
        "auth%5Bapplication_token%5D=81905784dd6e05280c9a2015e0e61e68",
        "auth%5Bapplication_token%5D%5Bx%5D=81905784dd6e05280c9a2015e0e61e68",
    );
    let cases: Vec<(&str, Vec<u8>, ErrorKind)> = vec![
        ("missing member_id", missing_member.into_bytes(), ErrorKind::Missing { path: "auth[member_id]".into() }),
        ("no auth", b"event=X&data[a]=1&ts=1".to_vec(), ErrorKind::Missing { path: "auth".into() }),
        (
            "no data for a known event",
            b"event=ONAPPINSTALL&ts=1&auth[domain]=d&auth[member_id]=m".to_vec(),
            ErrorKind::Missing { path: "data".into() },
        ),
        (
            "statusCode not a string",
            status_array.into_bytes(),
            ErrorKind::InvalidValue {
                path: "data[statusCode]".into(),
                message: "expected a string, found an array".into(),
            },
        ),
        (
            "ts not a number",
            bad_ts.into_bytes(),
            ErrorKind::InvalidValue {
                path: "ts".into(),
                message: "invalid a string, expected a non-negative integer (number or text)".into(),
            },
        ),
        (
            "token not a string",
            token_array.into_bytes(),
            ErrorKind::InvalidValue {
                path: "auth[application_token]".into(),
                message: "invalid value (details withheld for a secret field)".into(),
            },
        ),
        ("non-UTF-8", b"event=X&data[name]=%C3%28".to_vec(), ErrorKind::InvalidUtf8 { key: "data[name]".into() }),
        ("raw NUL", b"event=X\0".to_vec(), ErrorKind::NulByte { offset: 7 }),
    ];
    for (name, body, want) in cases {
        let err = from_form::<AnyEvent>(&body).unwrap_err();
        assert_eq!(err.kind(), &want, "{name}: {err}");
        for secret in ["81905784dd6e05280c9a2015e0e61e68", "s6p6eclrvim6da22ft9ch94ekreb52lv"] {
            assert!(!err.to_string().contains(secret), "{name}: {err}");
        }
    }
}

#[test]
fn json_errors_name_the_path_too() {
    let missing = SEED_JSON.replace(r#""member_id": "60133c09d1f5d0fd6d7884a11fad4585","#, "");
    let err = from_json::<AnyEvent>(missing.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Missing { path: "auth[member_id]".into() });
    let wrong = SEED_JSON.replace(r#""statusCode": "done""#, r#""statusCode": {"a": 1}"#);
    let err = from_json::<AnyEvent>(wrong.as_bytes()).unwrap_err();
    assert_eq!(err.path(), Some("data[statusCode]"), "{err}");
    // A value of the wrong type is never quoted back (serde_json's own message would quote it).
    let secretish = SEED_JSON.replace(r#""expires_in": "3600""#, r#""expires_in": "tok-9f8e7d""#);
    let err = from_json::<AnyEvent>(secretish.as_bytes()).unwrap_err();
    assert_eq!(err.path(), Some("auth[expires_in]"));
    assert!(!err.to_string().contains("tok-9f8e7d"), "{err}");
    // Invalid UTF-8 anywhere refuses the body, even in a field nothing reads (as json_decode does).
    let err = from_json::<AnyEvent>(b"{\"junk\":\"\xFF\",\"event\":\"X\"}").unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Json { message: "body is not valid UTF-8 (at byte 9)".into() });
    // So does an unpaired surrogate escape, as in json_decode; a proper pair and `\\u` are fine.
    for body in [r#"{"junk":"\ud800","event":"X"}"#, r#"{"junk":"\udc00x"}"#, r#"{"a":"\ud925\u0041"}"#] {
        let err = from_json::<AnyEvent>(body.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("unpaired UTF-16 surrogate"), "{body}: {err}");
    }
    let ok = r#"{"event":"X\ud83d\ude00\\ud800","data":{},"ts":1,"auth":{"domain":"d","member_id":"m"}}"#;
    assert_eq!(from_json::<AnyEvent>(ok.as_bytes()).unwrap().code(), "X\u{1F600}\\ud800");
    let err = from_json::<AnyEvent>(b"{\"event\": ").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Json { .. }), "{err}");
    // As in PHP, a JSON list is an array with keys 0..n: it has no `event`.
    let err = from_json::<AnyEvent>(b"[1, 2]").unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::Missing { path: "event".into() });
    let err = from_json::<AnyEvent>(b"\"text\"").unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::InvalidValue { .. }), "{err}");
}

#[test]
fn limits_are_specific_errors() {
    let mut limits = Limits::default();
    limits.max_body_bytes = 100;
    let err = Decoder::new(limits).form::<AnyEvent>(SEED_FORM.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BodyTooLarge { size: SEED_FORM.len(), limit: 100 });
    let err = Decoder::new(limits).json::<AnyEvent>(SEED_JSON.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::BodyTooLarge { size: SEED_JSON.len(), limit: 100 });

    let many: String = (0..1001).map(|i| format!("k{i}=v&")).collect();
    let err = from_form::<AnyEvent>(many.as_bytes()).unwrap_err();
    assert_eq!(err.kind(), &ErrorKind::TooManyPairs { limit: 1000 });
    let exactly: String = (0..1000).map(|i| format!("k{i}=v&")).collect();
    assert_eq!(form::decode(exactly.as_bytes()).unwrap().as_array().map(|a| a.len()), Some(1000));

    let deep = |n: usize| format!("a{}=1", "[x]".repeat(n));
    assert!(form::decode(deep(64).as_bytes()).is_ok());
    let err = form::decode(deep(65).as_bytes()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::TooDeep { limit: 64, .. }), "{err}");
    assert!(err.to_string().contains("nests deeper than 64 levels"), "{err}");
}

#[test]
fn media_types() {
    let form_types = ["application/x-www-form-urlencoded", "Application/X-WWW-Form-Urlencoded; charset=UTF-8"];
    for ct in form_types {
        assert_eq!(Format::from_content_type(Some(ct)).unwrap(), Format::Form, "{ct}");
    }
    for ct in ["application/json", "application/json;charset=\"utf-8\"", "application/vnd.api+json"] {
        assert_eq!(Format::from_content_type(Some(ct)).unwrap(), Format::Json, "{ct}");
    }
    for ct in
        [Some("text/plain"), Some("multipart/form-data; boundary=x"), Some("application/json; charset=koi8-r"), None]
    {
        let err = from_body::<AnyEvent>(ct, SEED_JSON.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), &ErrorKind::UnsupportedMediaType { media_type: ct.unwrap_or("").into() });
    }
}

#[test]
fn unknown_event_without_data_has_empty_data() {
    // http_build_query leaves an empty `data` array out of the body.
    let AnyEvent::Other(e) = from_form::<AnyEvent>(b"event=ONSOMETHING&ts=1&auth[domain]=d&auth[member_id]=m").unwrap()
    else {
        panic!()
    };
    assert_eq!(e.data, Value::Array(Default::default()));
}

#[test]
fn data_before_event_still_types() {
    let json =
        br#"{"data":{"VERSION":"1","ACTIVE":"Y"},"ts":1,"event":"onappinstall","auth":{"domain":"d","member_id":"m"}}"#;
    let AnyEvent::AppInstall(e) = from_json::<AnyEvent>(json).unwrap() else { panic!() };
    assert_eq!(e.data, {
        let mut d = AppInstall::new(1);
        d.installed = None;
        d
    });
    let form = b"data[statusCode]=ready&data[memberUid]=m&data[documentUid]=d&ts=1&event=ONSIGNB2EMEMBERSTATUSCHANGED&auth[domain]=d&auth[member_id]=m";
    let AnyEvent::MemberStatusChanged(e) = from_form::<AnyEvent>(form).unwrap() else { panic!() };
    assert_eq!(e.data.status_code, MemberStatus::Ready);
}
