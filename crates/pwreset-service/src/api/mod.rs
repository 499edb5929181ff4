//! Layer 5, the HTTP entry point: the route table ([`router`]), the three dialects' request and
//! answer logic (`dialects`) and the JSON they read and write as types ([`shapes`]), the hosted
//! reset page ([`reset_page`]) and forgot-password page ([`forgot_page`]) with what they share
//! (`pages`: layout, headers, form reading, texts by language), the operator's and
//! the developer's routes (`admin`, `dev`), the routes for applications that check access tokens
//! themselves (`tokens`: the JWK Set and introspection) and the OpenAPI document ([`openapi`]).

pub(crate) mod admin;
pub(crate) mod dev;
pub(crate) mod dialects;
pub mod edge;
pub mod forgot_page;
pub mod openapi;
pub(crate) mod pages;
pub mod reset_page;
pub mod router;
pub(crate) mod shapes;
pub(crate) mod tokens;
