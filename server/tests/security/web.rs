//! Script injection: pages run only scripts from this site and the inline
//! hydration scripts carrying the response's one-time nonce.

use axum::http::header;

use crate::common::http::fetch;
use crate::common::{Backend, TestDb};

fn nonce_of(csp: &str) -> String {
    let start = csp.find("'nonce-").expect("a nonce in the policy") + "'nonce-".len();
    csp[start..].split('\'').next().unwrap().to_string()
}

async fn pages_run_only_scripts_with_their_nonce(backend: Backend) {
    let t = TestDb::new(backend).await;
    let app = server::router(crate::common::state(&t.db));
    let mut seen = Vec::new();
    for path in ["/", "/login", "/register", "/no-such-page"] {
        let page = fetch(&app, path, None).await;
        let csp = page.header(header::CONTENT_SECURITY_POLICY);
        assert!(csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        let nonce = nonce_of(&csp);
        assert!(nonce.len() >= 16, "{path}: a short nonce {nonce}");
        let html = page.text();
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path}: no hydration script");
        assert_eq!(
            html.matches(&format!("nonce=\"{nonce}\"")).count(),
            scripts,
            "{path}: a script without the nonce"
        );
        // No inline event handlers (a policy with a nonce blocks them).
        assert!(!html.contains("onclick="), "{path}");
        seen.push(nonce);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 4, "a nonce was used twice");
    // Answers that are not pages run no inline script at all.
    let health = fetch(&app, "/healthz", None).await;
    let csp = health.header(header::CONTENT_SECURITY_POLICY);
    assert!(csp.ends_with("script-src 'self'"), "{csp}");
    t.close().await;
}

on_both_databases!(pages_run_only_scripts_with_their_nonce);
