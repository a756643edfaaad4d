//! The event endpoint on axum 0.8, with the crate's extractor (feature `axum`).

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRef, State};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bitrix24_events::MemoryTokenStore;
use bitrix24_events::axum::{EventConfig, Rejection, VerifiedEvent};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use super::{BODY_LIMIT, PATH, outcome};

/// The router's state: the extractor's configuration, reached through `FromRef`.
#[derive(Clone)]
struct AppState {
    config: EventConfig,
    log: bool,
}

impl FromRef<AppState> for EventConfig {
    fn from_ref(state: &AppState) -> EventConfig {
        state.config.clone()
    }
}

/// The handler: the extractor did the work; taking the `Result` lets it log refusals too.
async fn events(State(state): State<AppState>, received: Result<VerifiedEvent, Rejection>) -> Response {
    let reply = match &received {
        Ok(verified) => outcome(Ok::<_, (_, &Rejection)>((&verified.event, &verified.action)), state.log),
        Err(rejection) => outcome(Err((rejection.status_code(), rejection)), state.log),
    };
    (reply.status, [(http::header::CONTENT_TYPE, "text/plain; charset=utf-8")], reply.body).into_response()
}

/// The router: `POST /bitrix24/events` (other methods 405 with `Allow`, other paths 404), with
/// axum's own `DefaultBodyLimit`, which the extractor honours.
pub fn router(store: MemoryTokenStore, log: bool) -> Router {
    Router::new()
        .route(PATH, post(events))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(AppState { config: EventConfig::new(store), log })
}

/// Serves the router on `listener` until the task is dropped. This is what `axum::serve` does;
/// it needs axum's `tokio` and `http1` features, which this crate does not switch on (your app
/// will have them: then write `axum::serve(listener, router(..)).await`).
pub async fn serve(listener: TcpListener, store: MemoryTokenStore, log: bool) {
    super::hyper_server::accept_loop(listener, TowerToHyperService::new(router(store, log))).await;
}
