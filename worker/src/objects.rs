//! The atomic steps on Durable Objects: one [`AccountGuardObject`] per account (a code and its
//! tries, secrets used once) and one [`GlobalCodesObject`] (codes redeemable without their
//! account). Each runs the service's own logic over its storage; a Durable Object handles one
//! event at a time and holds its input gate across storage calls, so each op is atomic.

use pwreset_core::UnixTime;
use pwreset_service::guard::{
    GlobalAnswer, GlobalOp, GuardAnswer, GuardOp, ObjectStorage, apply_global_op, apply_guard_op,
};
use pwreset_service::platform::{AccountGuard, GlobalCodes, PlatformError, PlatformResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{DurableObject, Env, Method, Request, RequestInit, Response, State, durable_object};

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
}

fn now() -> UnixTime {
    UnixTime::from_millis(worker::Date::now().as_millis())
}

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
        let Ok(op) = read_op::<GuardOp>(&mut req).await else {
            return Response::error("unreadable op", 400);
        };
        let storage = DurableStorage(self.state.storage());
        answer(apply_guard_op(&storage, op, now()).await)
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
        answer(apply_global_op(&storage, op, now()).await)
    }
}

impl EdgePlatform {
    /// Sends `op` to the object `name` of namespace `binding` and reads its answer.
    async fn call_object<Op: Serialize, Answer: DeserializeOwned>(
        &self,
        binding: &'static str,
        name: &str,
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
    async fn guard(&self, account_id: &str, op: GuardOp) -> PlatformResult<GuardAnswer> {
        self.call_object(ACCOUNT_GUARD_BINDING, account_id, &op)
            .await
    }
}

impl GlobalCodes for EdgePlatform {
    async fn global_codes(&self, op: GlobalOp) -> PlatformResult<GlobalAnswer> {
        self.call_object(GLOBAL_CODES_BINDING, GLOBAL_NAME, &op)
            .await
    }
}
