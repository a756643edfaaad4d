//! The event endpoint on actix-web 4, with the crate's extractor (feature `actix`).

use actix_web::dev::Server;
use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use bitrix24_events::MemoryTokenStore;
use bitrix24_events::actix::{EventConfig, Rejection, VerifiedEvent};

use super::{BODY_LIMIT, PATH, outcome};

/// Whether to print one line per handled event.
#[derive(Clone, Copy)]
struct Log(bool);

/// The handler: the extractor did the work; taking the `Result` lets it log refusals too.
async fn events(received: Result<VerifiedEvent, Rejection>, log: web::Data<Log>) -> HttpResponse {
    let reply = match &received {
        Ok(verified) => outcome(Ok::<_, (_, &Rejection)>((&verified.event, &verified.action)), log.0),
        Err(rejection) => outcome(Err((rejection.status_code(), rejection)), log.0),
    };
    HttpResponse::build(StatusCode::from_u16(reply.status.as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .content_type("text/plain; charset=utf-8")
        .body(reply.body)
}

/// Builds the server on an already bound listener; it runs once awaited (on an actix system).
/// The body limit is actix's own `PayloadConfig`, which the extractor honours.
pub fn server(listener: std::net::TcpListener, store: MemoryTokenStore, log: bool) -> std::io::Result<Server> {
    let config = EventConfig::new(store);
    Ok(HttpServer::new(move || {
        App::new()
            .app_data(config.clone())
            .app_data(web::PayloadConfig::new(BODY_LIMIT))
            .app_data(web::Data::new(Log(log)))
            // Other methods on the path: actix answers 405 with `Allow`; other paths: 404.
            .service(web::resource(PATH).route(web::post().to(events)))
    })
    .workers(2)
    .disable_signals()
    .listen(listener)?
    .run())
}
