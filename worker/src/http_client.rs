//! Provider requests over `fetch`, with a time limit.

use std::time::Duration;

use futures_util::future::{Either, select};
use pwreset_service::delivery::{HttpAnswer, HttpClient, ProviderRequest, TransportError};
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit};

use crate::edge::EdgePlatform;

/// How long a provider may take to answer before the attempt counts as timed out.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

fn build(request: &ProviderRequest) -> Result<Request, TransportError> {
    let headers = Headers::new();
    for (name, value) in &request.headers {
        headers
            .set(name, value)
            .map_err(|_| TransportError::Other(format!("bad header {name}")))?;
    }
    let method = Method::from(request.method.to_ascii_uppercase());
    let mut init = RequestInit::new();
    init.with_method(method)
        .with_headers(headers)
        .with_body(Some(request.body.clone().into()));
    Request::new_with_init(&request.url, &init)
        .map_err(|_| TransportError::Other("unusable provider URL".to_owned()))
}

impl HttpClient for EdgePlatform {
    async fn send(&self, request: &ProviderRequest) -> Result<HttpAnswer, TransportError> {
        let outgoing = build(request)?;
        let controller = AbortController::default();
        let signal = controller.signal();
        let fetch =
            Box::pin(async move { Fetch::Request(outgoing).send_with_signal(&signal).await });
        let timeout = Box::pin(Delay::from(PROVIDER_TIMEOUT));
        match select(fetch, timeout).await {
            Either::Left((Ok(response), _)) => Ok(HttpAnswer {
                status: response.status_code(),
                retry_after: response.headers().get("retry-after").ok().flatten(),
            }),
            Either::Left((Err(_), _)) => Err(TransportError::Connection),
            Either::Right(((), _)) => {
                controller.abort();
                Err(TransportError::Timeout)
            }
        }
    }
}
