//! Outbound HTTP over `fetch`, within the request's time limit (the service sets it) and with no
//! redirects followed: provider deliveries, the breached-password range API and the application's
//! user directory.

use futures_util::future::{Either, select};
use pwreset_service::ports::{FetchedAnswer, HttpFetch, OutboundRequest, TransportError};
use worker::{
    AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response,
};

use crate::edge::EdgePlatform;

fn build(request: &OutboundRequest) -> Result<Request, TransportError> {
    let headers = Headers::new();
    for (name, value) in &request.headers {
        headers
            .set(name, value)
            .map_err(|_| TransportError::Other(format!("bad header {name}")))?;
    }
    let method = Method::from(request.method.to_ascii_uppercase());
    let mut init = RequestInit::new();
    // Never followed: a `3xx` is the answer, and not a success. Every URL called is configured
    // (`https://` outside development); a redirect could lead anywhere, `http://` included.
    init.with_method(method)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    if !request.body.is_empty() {
        init.with_body(Some(request.body.clone().into()));
    }
    Request::new_with_init(&request.url, &init)
        .map_err(|_| TransportError::Other("unusable URL".to_owned()))
}

/// Sends `request`, giving up (and aborting it) after its time limit.
async fn send_within(request: &OutboundRequest) -> Result<Response, TransportError> {
    let outgoing = build(request)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let fetch = Box::pin(async move { Fetch::Request(outgoing).send_with_signal(&signal).await });
    let timeout = Box::pin(Delay::from(request.time_limit));
    match select(fetch, timeout).await {
        Either::Left((Ok(response), _)) => Ok(response),
        Either::Left((Err(_), _)) => Err(TransportError::Connection),
        Either::Right(((), _)) => {
            controller.abort();
            Err(TransportError::Timeout)
        }
    }
}

impl HttpFetch for EdgePlatform {
    async fn fetch(&self, request: &OutboundRequest) -> Result<FetchedAnswer, TransportError> {
        let mut response = send_within(request).await?;
        let status = response.status_code();
        let headers = response.headers().entries().collect();
        let body = response
            .text()
            .await
            .map_err(|_| TransportError::Other("unreadable answer".to_owned()))?;
        Ok(FetchedAnswer {
            status,
            headers,
            body,
        })
    }
}
