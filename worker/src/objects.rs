//! The atomic steps on Durable Objects: one [`AccountGuardObject`] per account (a code and its
//! tries, secrets used once) and one [`GlobalCodesObject`] (codes redeemable without their
//! account). Each runs the service's own logic over its storage (the ops, and the decoy sweep's
//! batches and alarms: `pwreset_service::guard`); a Durable Object handles one event at a time and
//! holds its input gate across storage calls, so each op is atomic.

use pwreset_service::guard::{
    GlobalAnswer, GlobalOp, GuardAddress, GuardAnswer, GuardOp, ObjectStorage, apply_global_op,
    apply_guard_op, decoy_alarm_after_op, decoy_sweep_alarm,
};
use pwreset_service::ports::Clock;
use pwreset_service::ports::{AccountGuard, GlobalCodes, PlatformError, PlatformResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{DurableObject, Env, Method, Request, RequestInit, Response, State, durable_object};

use crate::clock::EdgeClock;
use crate::edge::{EdgePlatform, failed};

/// The per-account guard's binding.
pub const ACCOUNT_GUARD_BINDING: &str = "ACCOUNT_GUARD";
/// The global code registry's binding.
pub const GLOBAL_CODES_BINDING: &str = "GLOBAL_CODES";
/// The one global registry's name.
const GLOBAL_NAME: &str = "global";

/// A Durable Object's storage as the service's [`ObjectStorage`].
struct DurableStorage(worker::Storage);

impl ObjectStorage for DurableStorage {
    async fn get(&self, key: &str) -> PlatformResult<Option<String>> {
        self.0
            .get::<String>(key)
            .await
            .map_err(failed("object storage read"))
    }
    async fn put(&self, key: &str, value: &str) -> PlatformResult<()> {
        self.0
            .put(key, value)
            .await
            .map_err(failed("object storage write"))
    }
    async fn delete(&self, key: &str) -> PlatformResult<()> {
        self.0
            .delete(key)
            .await
            .map(|_| ())
            .map_err(failed("object storage delete"))
    }
    async fn list(
        &self,
        prefix: &str,
        start_at: Option<&str>,
        limit: usize,
    ) -> PlatformResult<Vec<(String, String)>> {
        let mut options = worker::ListOptions::new().prefix(prefix).limit(limit);
        if let Some(at) = start_at {
            options = options.start(at);
        }
        let map = self
            .0
            .list_with_options(options)
            .await
            .map_err(failed("object storage list"))?;
        let mut entries = Vec::new();
        for entry in map.entries() {
            let entry =
                entry.map_err(|_| PlatformError("object storage list unreadable".into()))?;
            let pair = worker::js_sys::Array::from(&entry);
            let (key, value) = (pair.get(0).as_string(), pair.get(1).as_string());
            if let (Some(key), Some(value)) = (key, value) {
                entries.push((key, value));
            }
        }
        Ok(entries)
    }
}

/// The header that names the guard record an op applies to.
pub const GUARD_RECORD_HEADER: &str = "x-guard-record";

async fn read_op<T: DeserializeOwned>(req: &mut Request) -> worker::Result<T> {
    req.json().await
}

fn answer<T: Serialize>(result: PlatformResult<T>) -> worker::Result<Response> {
    match result {
        Ok(answer) => Response::from_json(&answer),
        Err(e) => Response::error(e.0, 500),
    }
}

/// One account's guard.
#[durable_object]
pub struct AccountGuardObject {
    state: State,
}

impl DurableObject for AccountGuardObject {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let Some(record) = req.headers().get(GUARD_RECORD_HEADER)? else {
            return Response::error("no guard record named", 400);
        };
        let Ok(op) = read_op::<GuardOp>(&mut req).await else {
            return Response::error("unreadable op", 400);
        };
        let storage = DurableStorage(self.state.storage());
        let result = apply_guard_op(&storage, &record, op, EdgeClock.now()).await;
        // Every op reads the alarm (the service decides whether a sweep must be made due).
        let storage = self.state.storage();
        let alarm_pending = storage.get_alarm().await?.is_some();
        if let Some(after) = decoy_alarm_after_op(&record, alarm_pending) {
            storage.set_alarm(after).await?;
        }
        answer(result)
    }

    async fn alarm(&self) -> worker::Result<Response> {
        let storage = DurableStorage(self.state.storage());
        let next = decoy_sweep_alarm(&storage, EdgeClock.now())
            .await
            .map_err(|e: PlatformError| worker::Error::RustError(e.0))?;
        if let Some(after) = next {
            self.state.storage().set_alarm(after).await?;
        }
        Response::ok("swept")
    }
}

/// The global registry of codes redeemable without their account.
#[durable_object]
pub struct GlobalCodesObject {
    state: State,
}

impl DurableObject for GlobalCodesObject {
    fn new(state: State, _env: Env) -> Self {
        Self { state }
    }

    async fn fetch(&self, mut req: Request) -> worker::Result<Response> {
        let Ok(op) = read_op::<GlobalOp>(&mut req).await else {
            return Response::error("unreadable op", 400);
        };
        let storage = DurableStorage(self.state.storage());
        answer(apply_global_op(&storage, op, EdgeClock.now()).await)
    }
}

impl EdgePlatform {
    /// Sends `op` to the object `name` of namespace `binding` and reads its answer.
    async fn call_object<Op: Serialize, Answer: DeserializeOwned>(
        &self,
        binding: &'static str,
        name: &str,
        record: Option<&str>,
        op: &Op,
    ) -> PlatformResult<Answer> {
        let stub = self
            .env
            .durable_object(binding)
            .and_then(|ns| ns.id_from_name(name)?.get_stub())
            .map_err(failed("Durable Object binding"))?;
        let body = serde_json::to_string(op).map_err(failed("op encoding"))?;
        let mut init = RequestInit::new();
        init.with_method(Method::Post).with_body(Some(body.into()));
        if let Some(record) = record {
            let headers = worker::Headers::new();
            headers
                .set(GUARD_RECORD_HEADER, record)
                .map_err(failed("Durable Object request"))?;
            init.with_headers(headers);
        }
        let request = Request::new_with_init("https://object.internal/apply", &init)
            .map_err(failed("Durable Object request"))?;
        let mut response = stub
            .fetch_with_request(request)
            .await
            .map_err(failed("Durable Object call"))?;
        if response.status_code() != 200 {
            let text = response.text().await.unwrap_or_default();
            return Err(PlatformError(format!(
                "Durable Object answered {}: {text}",
                response.status_code()
            )));
        }
        response
            .json()
            .await
            .map_err(failed("Durable Object answer"))
    }
}

impl AccountGuard for EdgePlatform {
    async fn guard(&self, at: &GuardAddress, op: GuardOp) -> PlatformResult<GuardAnswer> {
        let record = Some(at.record.as_str());
        self.call_object(ACCOUNT_GUARD_BINDING, &at.object, record, &op)
            .await
    }
}

impl GlobalCodes for EdgePlatform {
    async fn global_codes(&self, op: GlobalOp) -> PlatformResult<GlobalAnswer> {
        self.call_object(GLOBAL_CODES_BINDING, GLOBAL_NAME, None, &op)
            .await
    }
}
