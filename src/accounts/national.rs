//! The national sign-in's state in the citizen's session and the address it answers at:
//! what the dossier journey asks (was this citizen signed in nationally?) without the sign-in's
//! handlers.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// Where the provider sends the citizen back, registered with it exactly.
pub const CALLBACK_PATH: &str = "/account/login/dvcqg/callback";

pub(crate) const SIGNED_KEY: &str = "dvcqg_sso_signed";

/// The national account this session signed in with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SignedNationally {
    pub loa: String,
    pub tech_id: String,
}

/// The national account of this session's sign-in, if it signed in with one.
pub async fn signed_in(session: &Session) -> Option<SignedNationally> {
    session.get(SIGNED_KEY).await.ok().flatten()
}

pub fn redirect_uri(settings: &crate::Settings) -> String {
    format!(
        "{}{CALLBACK_PATH}",
        settings.public_origin.trim_end_matches('/')
    )
}
