//! The route table is the one place a route is written: the OpenAPI document has exactly its paths
//! and methods (the npm package's tests check its client against that document), and the router
//! answers by it.

mod common;

use std::collections::BTreeMap;

use common::*;
use pwreset_service::api::router::ROUTES;
use pwreset_service::{Method, Request};

/// Each path of `docs/openapi.json` with its methods, lower-cased and sorted.
fn documented() -> BTreeMap<String, Vec<String>> {
    let document: serde_json::Value =
        serde_json::from_str(pwreset_service::api::openapi::DOCUMENT).unwrap();
    document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(path, item)| {
            let mut methods: Vec<String> = item
                .as_object()
                .unwrap()
                .keys()
                .filter(|m| {
                    ["get", "post", "options", "put", "delete", "patch"].contains(&m.as_str())
                })
                .cloned()
                .collect();
            methods.sort();
            (path.clone(), methods)
        })
        .collect()
}

#[test]
fn the_openapi_document_has_exactly_the_route_tables_paths_and_methods() {
    let service = service_from(&vars_with(&[]));
    let cfg = service.config().unwrap();
    let table: BTreeMap<String, Vec<String>> = ROUTES
        .iter()
        .map(|spec| {
            let mut methods: Vec<String> = spec
                .methods
                .iter()
                .map(|m| match m {
                    Method::Get => "get".to_owned(),
                    Method::Post => "post".to_owned(),
                    other => format!("{other:?}").to_lowercase(),
                })
                .collect();
            if spec.preflight {
                methods.push("options".to_owned());
            }
            methods.sort();
            (spec.full_path(cfg), methods)
        })
        .collect();
    assert_eq!(table, documented());
}

#[test]
fn every_route_answers_its_methods_and_405_with_its_allow_header_otherwise() {
    let h = Harness::new();
    let cfg = h.service.config().unwrap();
    for spec in ROUTES {
        let path = spec.full_path(cfg);
        let mut wrong = Request::new(Method::Other, &path);
        wrong.body = b"{}".to_vec();
        let answer = h.send(wrong);
        assert_eq!(answer.status, 405, "{path}");
        assert_eq!(
            answer.header_value("allow"),
            Some(spec.allow_header().as_str()),
            "{path}"
        );
        for method in spec.methods {
            let answer = h.send(Request::new(*method, &path));
            assert_ne!(answer.status, 404, "{path} {method:?}");
            assert_ne!(answer.status, 405, "{path} {method:?}");
        }
    }
}

#[test]
fn development_routes_do_not_exist_elsewhere() {
    let service = service_from(&production_vars(&[]));
    let platform = pwreset_service::testing::memory::MemoryPlatform::new(NOW);
    for spec in ROUTES.iter().filter(|s| s.development_only) {
        let cfg = service.config().unwrap();
        let request = Request::new(Method::Get, &spec.full_path(cfg));
        let answer = futures_executor::block_on(service.handle(&platform, request));
        assert_eq!(answer.status, 404, "{}", spec.path);
    }
}
