//! The client's address: the TCP peer, or (behind our own reverse proxy, `trust_proxy`) the
//! `X-Real-IP` header that the proxy overwrites, and only on a connection from one of the
//! `trusted_proxies`. Never the client-controlled X-Forwarded-For. A request with no TCP peer
//! comes from inside the process (the tests' router, the in-process gateway) and is trusted
//! like the proxy.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;

use crate::AppState;

/// The client's IP address, when known.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub Option<IpAddr>);

impl<S> FromRequestParts<S> for ClientIp
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let from_proxy = peer.is_none_or(|ip| app.settings.trusted_proxies.contains(&ip));
        if app.settings.trust_proxy && from_proxy {
            let header = parts
                .headers
                .get("x-real-ip")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse().ok());
            if header.is_some() {
                return Ok(Self(header));
            }
        }
        Ok(Self(peer))
    }
}
