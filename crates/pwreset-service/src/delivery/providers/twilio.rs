//! Twilio: `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`, HTTP Basic `sid:token`,
//! form-encoded `To`, `Body` and `From` or `MessagingServiceSid`. Twilio has no idempotency key.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::config::delivery::{TwilioAccount, TwilioSender};
use crate::model::message::OutgoingMessage;
use crate::model::outbound::OutboundRequest;

/// The request that sends `msg` through Twilio.
pub fn request(account: &TwilioAccount, msg: &OutgoingMessage) -> OutboundRequest {
    let mut form = form_urlencoded::Serializer::new(String::new());
    form.append_pair("To", &msg.to);
    match &account.sender {
        TwilioSender::From(from) => form.append_pair("From", from),
        TwilioSender::MessagingService(sid) => form.append_pair("MessagingServiceSid", sid),
    };
    form.append_pair("Body", &msg.text);
    let credentials = format!("{}:{}", account.account_sid, account.auth_token.expose());
    OutboundRequest::post(
        format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            account.base_url, account.account_sid
        ),
        vec![
            (
                "Authorization",
                format!("Basic {}", STANDARD.encode(credentials)),
            ),
            ("Accept", "application/json".to_owned()),
            (
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned(),
            ),
        ],
        form.finish(),
    )
}
