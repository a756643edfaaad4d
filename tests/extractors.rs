//! The actix-web and axum extractors, through the frameworks themselves (their routing, their
//! body extractors and limits, their error responses), with requests made by the test kit.
#![cfg(any(feature = "actix", feature = "axum"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bitrix24_events::testkit::EventBuilder;
use bitrix24_events::{Format, MemberStatus};

const MEMBER: &str = "extractor-portal";
const TOKEN: &str = "extractor-application-token-0001";
const FORGED: &str = "extractor-forged-token-000000001";

fn install() -> EventBuilder {
    EventBuilder::install().member_id(MEMBER).application_token(TOKEN)
}

fn signed() -> EventBuilder {
    EventBuilder::member_status_changed(MemberStatus::Done).member_id(MEMBER).application_token(TOKEN)
}

/// A valid event of the test portal whose body is exactly `len` bytes.
fn sized(format: Format, len: usize) -> http::Request<Vec<u8>> {
    let lead = EventBuilder::new("ONCRMLEADADD").member_id(MEMBER).application_token(TOKEN);
    let base = lead.clone().set(&["data", "pad"], "").body(format).len();
    let request = lead.set(&["data", "pad"], "a".repeat(len - base)).request(format);
    assert_eq!(request.body().len(), len);
    request
}

fn now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(feature = "actix")]
mod actix {
    use super::*;

    use actix_web::{App, HttpResponse, test, web};
    use bitrix24_events::actix::{EventConfig, Rejection, VerifiedEvent};
    use bitrix24_events::{AnyEvent, Decoder, ErrorKind, Limits, MemoryTokenStore, TokenStore, Validation};

    /// Runs a test on an actix system (no `#[actix_web::test]`: the crate does not enable macros).
    fn run<F: std::future::Future<Output = ()>>(f: F) {
        actix_web::rt::System::new().block_on(f);
    }

    fn to_actix(req: http::Request<Vec<u8>>) -> test::TestRequest {
        let (parts, body) = req.into_parts();
        let method = actix_web::http::Method::from_bytes(parts.method.as_str().as_bytes()).unwrap();
        let mut test = test::TestRequest::default().method(method).uri(&parts.uri.to_string());
        for (name, value) in &parts.headers {
            test = test.insert_header((name.as_str(), value.as_bytes()));
        }
        test.set_payload(body)
    }

    /// Calls the app (from `test::init_service`) with a test-kit request: (status, body).
    macro_rules! call {
        ($app:expr, $req:expr) => {{
            let response = test::call_service(&$app, to_actix($req).to_request()).await;
            let status = response.status().as_u16();
            let body = test::read_body(response).await;
            (status, String::from_utf8_lossy(&body).into_owned())
        }};
    }

    /// Answers with what it got: the event's code and member uid, or the rejection's origin.
    async fn echo(received: Result<VerifiedEvent, Rejection>) -> HttpResponse {
        match received {
            Ok(verified) => {
                let uid = match &verified.event {
                    AnyEvent::MemberStatusChanged(e) => e.data.member_uid.clone(),
                    _ => "-".into(),
                };
                HttpResponse::Ok().body(format!("{} {uid} {:?}", verified.event.code(), verified.action))
            }
            Err(rejection) => {
                let origin = if rejection.error().is_some() { "crate" } else { "framework" };
                let status = actix_web::http::StatusCode::from_u16(rejection.status_code().as_u16()).unwrap();
                HttpResponse::build(status).body(format!("{origin}: {rejection}"))
            }
        }
    }

    async fn plain(verified: VerifiedEvent) -> HttpResponse {
        HttpResponse::Ok().body(verified.event.code().to_owned())
    }

    #[test]
    fn verifies_and_types_the_event() {
        run(async {
            let store = MemoryTokenStore::new();
            let app = test::init_service(
                App::new().app_data(EventConfig::new(store.clone())).route("/bitrix24/events", web::post().to(plain)),
            )
            .await;
            assert_eq!(call!(app, signed().request(Format::Form)).0, 401, "unknown portal");
            assert_eq!(call!(app, install().request(Format::Form)), (200, "ONAPPINSTALL".into()));
            assert!(store.token(MEMBER).is_some(), "the install stored the portal");
            for format in [Format::Form, Format::Json] {
                assert_eq!(call!(app, signed().request(format)), (200, "ONSIGNB2EMEMBERSTATUSCHANGED".into()));
                let (status, body) = call!(app, signed().application_token(FORGED).request(format));
                assert_eq!(status, 401);
                assert!(!body.contains(FORGED) && !body.contains(TOKEN), "{body}");
                assert_eq!(call!(app, signed().remove(&["ts"]).request(format)).0, 400);
            }
            let mut wrong_type = signed().request(Format::Form);
            wrong_type.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain"));
            assert_eq!(call!(app, wrong_type).0, 415);
            let uninstall = EventBuilder::uninstall().member_id(MEMBER).application_token(TOKEN);
            assert_eq!(call!(app, uninstall.request(Format::Json)).0, 200);
            assert!(store.token(MEMBER).is_none(), "the uninstall forgot the portal");
        });
    }

    #[test]
    fn result_argument_sees_the_rejection() {
        run(async {
            let app = test::init_service(
                App::new().app_data(EventConfig::new(MemoryTokenStore::new())).route("/e", web::post().to(echo)),
            )
            .await;
            let mut req = install().request(Format::Form);
            *req.uri_mut() = "/e".parse().unwrap();
            let (status, body) = call!(app, req);
            assert_eq!(status, 200);
            assert!(body.starts_with("ONAPPINSTALL - Stored"), "{body}");
            let mut req = signed().member_id("nobody").request(Format::Form);
            *req.uri_mut() = "/e".parse().unwrap();
            let (status, body) = call!(app, req);
            assert_eq!(status, 401);
            assert!(body.starts_with("crate: ") && body.contains("unknown portal"), "{body}");
        });
    }

    #[test]
    fn honours_payload_config() {
        run(async {
            let store = MemoryTokenStore::new();
            let app = test::init_service(
                App::new()
                    .app_data(EventConfig::new(store.clone()))
                    .app_data(web::PayloadConfig::new(1024))
                    .route("/bitrix24/events", web::post().to(echo)),
            )
            .await;
            assert_eq!(call!(app, install().request(Format::Form)).0, 200);
            assert_eq!(call!(app, sized(Format::Form, 1024)).0, 200);
            let (status, body) = call!(app, sized(Format::Form, 1025));
            assert_eq!(status, 413);
            assert!(body.starts_with("framework: "), "actix's own limit refused it: {body}");
            // As web::Data too, as actix's own extractors accept it.
            let app = test::init_service(
                App::new()
                    .app_data(web::Data::new(EventConfig::new(store.clone())))
                    .app_data(web::Data::new(web::PayloadConfig::new(2048)))
                    .route("/bitrix24/events", web::post().to(echo)),
            )
            .await;
            assert_eq!(call!(app, sized(Format::Json, 2048)).0, 200);
            assert_eq!(call!(app, sized(Format::Json, 2049)).0, 413);
        });
    }

    #[test]
    fn decoder_limit_and_validation_apply() {
        run(async {
            let mut limits = Limits::default();
            limits.max_body_bytes = 2000;
            let config = EventConfig::new(MemoryTokenStore::new())
                .decoder(Decoder::new(limits))
                .validation(Validation::new().max_age(Duration::from_secs(600)));
            // actix's default PayloadConfig (256 KiB) is larger: the decoder's limit wins.
            let app =
                test::init_service(App::new().app_data(config).route("/bitrix24/events", web::post().to(echo))).await;
            assert_eq!(call!(app, install().ts(now()).request(Format::Form)).0, 200);
            assert_eq!(call!(app, sized(Format::Form, 2000)).0, 401, "default ts is stale");
            let (status, body) = call!(app, sized(Format::Form, 2001));
            assert_eq!(status, 413);
            assert!(body.starts_with("crate: "), "the crate's limit refused it: {body}");
            assert_eq!(call!(app, signed().ts(now()).request(Format::Json)).0, 200);
            let (status, body) = call!(app, signed().ts(now() - 3600).request(Format::Json));
            assert_eq!(status, 401);
            assert!(body.contains("outside the accepted window"), "{body}");
        });
    }

    #[test]
    fn missing_config_is_a_server_error() {
        run(async {
            let app = test::init_service(App::new().route("/bitrix24/events", web::post().to(plain))).await;
            let (status, body) = call!(app, install().request(Format::Form));
            assert_eq!(status, 500);
            assert!(body.contains("EventConfig is not registered"), "{body}");
        });
    }

    #[test]
    fn rejection_is_a_response_error() {
        let rejection = Rejection::from(bitrix24_events::Error::from(ErrorKind::TokenMismatch));
        let response = actix_web::ResponseError::error_response(&rejection);
        assert_eq!(response.status().as_u16(), 401);
        assert_eq!(rejection.status_code(), http::StatusCode::UNAUTHORIZED);
    }
}

#[cfg(feature = "axum")]
mod axum {
    use super::*;

    use ::axum::Router;
    use ::axum::body::Body;
    use ::axum::extract::{DefaultBodyLimit, FromRef, State};
    use ::axum::routing::post;
    use bitrix24_events::axum::{EventConfig, Rejection, VerifiedEvent};
    use bitrix24_events::{AnyEvent, Decoder, Limits, MemoryTokenStore, TokenStore, Validation};
    use http_body_util::BodyExt;
    use hyper::service::Service;
    use hyper_util::service::TowerToHyperService;

    fn run<F: std::future::Future<Output = ()>>(f: F) {
        tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f);
    }

    async fn call(router: &Router, req: http::Request<Vec<u8>>) -> (u16, String) {
        let service = TowerToHyperService::new(router.clone());
        let response = service.call(req.map(Body::from)).await.unwrap();
        let status = response.status().as_u16();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    /// Answers with what it got: the event's code and member uid, or the rejection's origin.
    async fn echo(received: Result<VerifiedEvent, Rejection>) -> (http::StatusCode, String) {
        match received {
            Ok(verified) => {
                let uid = match &verified.event {
                    AnyEvent::MemberStatusChanged(e) => e.data.member_uid.clone(),
                    _ => "-".into(),
                };
                (http::StatusCode::OK, format!("{} {uid} {:?}", verified.event.code(), verified.action))
            }
            Err(rejection) => {
                let origin = if rejection.error().is_some() { "crate" } else { "framework" };
                (rejection.status_code(), format!("{origin}: {rejection}"))
            }
        }
    }

    async fn plain(verified: VerifiedEvent) -> String {
        verified.event.code().to_owned()
    }

    /// An application state that holds the configuration among other things.
    #[derive(Clone)]
    struct AppState {
        events: EventConfig,
        greeting: &'static str,
    }

    impl FromRef<AppState> for EventConfig {
        fn from_ref(state: &AppState) -> EventConfig {
            state.events.clone()
        }
    }

    async fn with_state(State(state): State<AppState>, verified: VerifiedEvent) -> String {
        format!("{} {}", state.greeting, verified.event.code())
    }

    #[test]
    fn verifies_and_types_the_event() {
        run(async {
            let store = MemoryTokenStore::new();
            let router =
                Router::new().route("/bitrix24/events", post(plain)).with_state(EventConfig::new(store.clone()));
            assert_eq!(call(&router, signed().request(Format::Form)).await.0, 401, "unknown portal");
            assert_eq!(call(&router, install().request(Format::Form)).await, (200, "ONAPPINSTALL".into()));
            assert!(store.token(MEMBER).is_some(), "the install stored the portal");
            for format in [Format::Form, Format::Json] {
                assert_eq!(call(&router, signed().request(format)).await, (200, "ONSIGNB2EMEMBERSTATUSCHANGED".into()));
                let (status, body) = call(&router, signed().application_token(FORGED).request(format)).await;
                assert_eq!(status, 401);
                assert!(!body.contains(FORGED) && !body.contains(TOKEN), "{body}");
                assert_eq!(call(&router, signed().remove(&["ts"]).request(format)).await.0, 400);
            }
            let mut wrong_type = signed().request(Format::Form);
            wrong_type.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("text/plain"));
            assert_eq!(call(&router, wrong_type).await.0, 415);
            let mut get = signed().request(Format::Form);
            *get.method_mut() = http::Method::GET;
            assert_eq!(call(&router, get).await.0, 405);
            let uninstall = EventBuilder::uninstall().member_id(MEMBER).application_token(TOKEN);
            assert_eq!(call(&router, uninstall.request(Format::Json)).await.0, 200);
            assert!(store.token(MEMBER).is_none(), "the uninstall forgot the portal");
        });
    }

    #[test]
    fn config_from_a_larger_state() {
        run(async {
            let state = AppState { events: EventConfig::new(MemoryTokenStore::new()), greeting: "hello" };
            let router = Router::new().route("/bitrix24/events", post(with_state)).with_state(state);
            assert_eq!(call(&router, install().request(Format::Json)).await, (200, "hello ONAPPINSTALL".into()));
        });
    }

    #[test]
    fn honours_default_body_limit() {
        run(async {
            let router = Router::new()
                .route("/bitrix24/events", post(echo))
                .layer(DefaultBodyLimit::max(1024))
                .with_state(EventConfig::new(MemoryTokenStore::new()));
            assert_eq!(call(&router, install().request(Format::Form)).await.0, 200);
            assert_eq!(call(&router, sized(Format::Form, 1024)).await.0, 200);
            let (status, body) = call(&router, sized(Format::Form, 1025)).await;
            assert_eq!(status, 413);
            assert!(body.starts_with("framework: "), "axum's own limit refused it: {body}");
            // Without Content-Length (a streamed body) the framework's limit still holds.
            let mut streamed = sized(Format::Json, 4096);
            streamed.headers_mut().remove(http::header::CONTENT_LENGTH);
            assert_eq!(call(&router, streamed).await.0, 413);
        });
    }

    #[test]
    fn decoder_limit_and_validation_apply() {
        run(async {
            // Raising both limits lets a larger body through...
            let mut limits = Limits::default();
            limits.max_body_bytes = 200 * 1024;
            let config = EventConfig::new(MemoryTokenStore::new())
                .decoder(Decoder::new(limits))
                .validation(Validation::new().max_age(Duration::from_secs(600)));
            let router = Router::new()
                .route("/bitrix24/events", post(echo))
                .layer(DefaultBodyLimit::max(1 << 20))
                .with_state(config);
            assert_eq!(call(&router, install().ts(now()).request(Format::Form)).await.0, 200);
            assert_eq!(call(&router, signed().ts(now()).request(Format::Form)).await.0, 200);
            let big = EventBuilder::new("ONCRMLEADADD").member_id(MEMBER).application_token(TOKEN).ts(now());
            let big = big.set(&["data", "pad"], "a".repeat(150 * 1024));
            assert_eq!(call(&router, big.request(Format::Form)).await.0, 200);
            let (status, body) = call(&router, sized(Format::Form, 200 * 1024 + 1)).await;
            assert_eq!(status, 413);
            assert!(body.starts_with("crate: "), "the decoder's limit refused it: {body}");
            let (status, body) = call(&router, signed().ts(now() - 3600).request(Format::Json)).await;
            assert_eq!(status, 401);
            assert!(body.contains("outside the accepted window"), "{body}");

            // ...while the default decoder keeps 64 KiB under axum's 2 MB default.
            let router = Router::new()
                .route("/bitrix24/events", post(echo))
                .with_state(EventConfig::new(MemoryTokenStore::new()));
            let (status, body) = call(&router, sized(Format::Form, 64 * 1024 + 1)).await;
            assert_eq!(status, 413);
            assert!(body.starts_with("crate: "), "{body}");
        });
    }

    #[test]
    fn rejection_is_a_response() {
        use ::axum::response::IntoResponse;
        let rejection = Rejection::from(bitrix24_events::Error::from(bitrix24_events::ErrorKind::TokenMismatch));
        assert_eq!(rejection.into_response().status(), http::StatusCode::UNAUTHORIZED);
    }
}
