//! Webhooks on the server side: where a delivery may connect
//! ([`vet`], [`client`]) and the page that shows an endpoint's signing
//! secret on request ([`secret_page`]).
//!
//! At every delivery the URL is parsed as the HTTP client parses it, the
//! host resolved once, and every address checked
//! (`app::domain::egress::check_addrs`): a name that resolves to loopback,
//! a private range or the metadata service is refused without a connection,
//! so the delivery log cannot be used to scan the server's network. The
//! request then connects to exactly the checked addresses (the client's
//! resolver is overridden for that name), so a DNS answer that changes
//! between the check and the connection (rebinding) is never used. Proxies
//! from the environment are ignored for the same reason.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use app::domain::egress::{check_addrs, is_public_ip, normalize_host, EgressPolicy, Refusal};
use app::i18n::{Locale, Msg};
use app::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// How host names are resolved at delivery.
#[derive(Clone, Debug, Default)]
pub enum Resolver {
    /// The system resolver (tokio's `lookup_host`).
    #[default]
    System,
    /// Fixed answers (tests): a name not listed does not resolve.
    Fixed(Vec<(String, Vec<IpAddr>)>),
}

impl Resolver {
    async fn lookup(&self, host: &str, port: u16) -> Result<Vec<IpAddr>, String> {
        match self {
            Resolver::System => tokio::net::lookup_host((host, port))
                .await
                .map(|addrs| addrs.map(|a| a.ip()).collect())
                .map_err(|e| format!("could not resolve the host: {e}")),
            Resolver::Fixed(table) => table
                .iter()
                .find(|(name, _)| normalize_host(name) == normalize_host(host))
                .map(|(_, ips)| ips.clone())
                .ok_or_else(|| "could not resolve the host".to_string()),
        }
    }
}

/// Why a delivery was not attempted.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The target is not allowed: retrying cannot help.
    Policy(Refusal),
    /// The name did not resolve (may be temporary).
    Lookup(String),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the resolved address: the log must not map the network.
        match self {
            Refused::Policy(Refusal::Malformed) => f.write_str("refused: not a usable URL"),
            Refused::Policy(Refusal::PlainHttp) => {
                f.write_str("refused: plain http is not allowed for this host")
            }
            Refused::Policy(Refusal::NotPublic) => {
                f.write_str("refused: the host is not a public internet address")
            }
            Refused::Lookup(e) => f.write_str(e),
        }
    }
}

/// A delivery target that passed the checks: the URL and, for a name, the
/// addresses the request must connect to.
#[derive(Debug)]
pub struct Vetted {
    pub url: reqwest::Url,
    /// `(name, addresses)` when the host is a name.
    pub pinned: Option<(String, Vec<SocketAddr>)>,
}

/// Check a delivery URL against the operator's policy, resolving its host.
pub async fn vet(url: &str, policy: &EgressPolicy, resolver: &Resolver) -> Result<Vetted, Refused> {
    let malformed = || Refused::Policy(Refusal::Malformed);
    let url = reqwest::Url::parse(url).map_err(|_| malformed())?;
    let https = match url.scheme() {
        "https" => true,
        "http" => false,
        _ => return Err(malformed()),
    };
    if !url.username().is_empty() || url.password().is_some() {
        return Err(malformed());
    }
    let port = url.port_or_known_default().ok_or_else(malformed)?;
    // The parser has already turned every IPv4 spelling (`2130706433`,
    // `0x7f.1`) into dotted form and bracketed IPv6.
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(malformed)?;
    let key = normalize_host(host);
    let ip: Option<IpAddr> = key.parse().ok();
    if !https && !policy.allows_http(&key) {
        return Err(Refused::Policy(Refusal::PlainHttp));
    }
    let pinned = match ip {
        Some(ip) => {
            if !is_public_ip(ip) && !policy.allows_private(&key) {
                return Err(Refused::Policy(Refusal::NotPublic));
            }
            None
        }
        None => {
            let name = host.to_string();
            let ips = resolver
                .lookup(&name, port)
                .await
                .map_err(Refused::Lookup)?;
            check_addrs(&key, &ips, policy).map_err(Refused::Policy)?;
            let addrs = ips
                .into_iter()
                .map(|ip| SocketAddr::new(ip, port))
                .collect();
            Some((name, addrs))
        }
    };
    Ok(Vetted { url, pinned })
}

/// An HTTP client for one delivery: no redirects, no proxy, and a name
/// resolved only to its checked addresses.
pub fn client(v: &Vetted, timeout: Duration) -> Result<reqwest::Client, String> {
    let mut b = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .user_agent("Ortalyq-Webhooks/1");
    if let Some((name, addrs)) = &v.pinned {
        b = b.resolve_to_addrs(name, addrs);
    }
    b.build().map_err(|e| format!("HTTP client: {e}"))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `POST /director/webhooks/{id}/secret`: an endpoint's signing secret on a
/// page of its own, for staff who manage the endpoint (audited; never
/// cached). A plain form post, so it works without JavaScript; a POST, so a
/// link or a prefetch cannot show (or log) it, and a cross-site page is
/// refused like every write.
pub async fn secret_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i32>,
) -> Response {
    let Some(user) = crate::cookie_user(&state, &headers).await else {
        return (StatusCode::UNAUTHORIZED, "not_authenticated").into_response();
    };
    let l = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| app::access::session::cookie_value(c, app::access::session::LANG_COOKIE))
        .and_then(Locale::parse)
        .unwrap_or(user.lang);
    match app::webhooks::service::reveal_secret(&state.db, &user, id, state.now()).await {
        Ok((url, secret)) => {
            let html = format!(
                "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
                 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                 <title>{title}</title></head><body><main>\
                 <h1>{title}</h1><p>#{id} <code>{url}</code></p>\
                 <p><code data-testid=\"webhook-secret-of\">{secret}</code></p>\
                 <p>{note}</p><p><a href=\"/director/webhooks\">{back}</a></p>\
                 </main></body></html>",
                lang = l.code(),
                title = escape(Msg::HooksSecretTitle.text(l)),
                url = escape(&url),
                secret = escape(&secret),
                note = escape(Msg::HooksSecretNote.text(l)),
                back = escape(Msg::HooksBack.text(l)),
            );
            (
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                html,
            )
                .into_response()
        }
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND),
            e.code(),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(name: &str, ip: &str) -> Resolver {
        Resolver::Fixed(vec![(name.into(), vec![ip.parse().unwrap()])])
    }

    #[tokio::test]
    async fn delivery_checks_what_the_client_would_reach() {
        let none = EgressPolicy::default();
        let public = fixed("hooks.example.kz", "95.59.1.10");
        let v = vet("https://hooks.example.kz/x", &none, &public)
            .await
            .unwrap();
        assert_eq!(
            v.pinned,
            Some((
                "hooks.example.kz".into(),
                vec!["95.59.1.10:443".parse().unwrap()]
            ))
        );
        let rebound = fixed("hooks.example.kz", "127.0.0.1");
        assert_eq!(
            vet("https://hooks.example.kz/x", &none, &rebound)
                .await
                .unwrap_err(),
            Refused::Policy(Refusal::NotPublic)
        );
        // Spellings the URL parser turns into loopback or metadata addresses.
        for url in [
            "https://2130706433/",
            "https://0x7f.1/",
            "https://[::ffff:7f00:1]/",
            "https://169.254.169.254/latest/meta-data/",
        ] {
            assert_eq!(
                vet(url, &none, &Resolver::Fixed(vec![])).await.unwrap_err(),
                Refused::Policy(Refusal::NotPublic),
                "{url}"
            );
        }
        assert_eq!(
            vet("http://hooks.example.kz/x", &none, &public)
                .await
                .unwrap_err(),
            Refused::Policy(Refusal::PlainHttp)
        );
        let local = EgressPolicy::from_lists("127.0.0.1", "127.0.0.1");
        assert!(vet("http://127.0.0.1:9/x", &local, &Resolver::System)
            .await
            .is_ok());
    }
}
