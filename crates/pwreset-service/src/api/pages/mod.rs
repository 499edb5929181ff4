//! What the hosted pages (the reset page, [`crate::api::reset_page`], and the forgot page,
//! [`crate::api::forgot_page`]) share: writing HTML safely ([`html`]), the document's start and
//! end ([`layout`]) with the brand ([`brand`]), the HTML answer with its security headers
//! ([`html_response`]), reading a URL-encoded form ([`form`]) and picking a page's texts by
//! `Accept-Language` ([`texts`]). Each page keeps its own words and rendering.

pub(crate) mod brand;
pub(crate) mod form;
pub mod html;
pub(crate) mod layout;
pub(crate) mod texts;

use crate::model::http::Response;

/// An HTML answer with the pages' security headers and the page's Content-Security-Policy `csp`
/// (`nosniff` and `no-referrer` come with every answer: [`crate::api::edge::with_answer_headers`]).
pub fn html_response(status: u16, body: String, csp: &str) -> Response {
    let headers = [
        ("content-type", "text/html; charset=utf-8"),
        ("cache-control", "no-store"),
        ("content-security-policy", csp),
        ("x-frame-options", "DENY"),
        ("cross-origin-opener-policy", "same-origin"),
        ("x-robots-tag", "noindex, nofollow"),
        ("vary", "Accept-Language"),
    ];
    Response {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect(),
        body: body.into_bytes(),
    }
}
