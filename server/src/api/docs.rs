//! `/api/v1/docs`: the OpenAPI document rendered as a page.

use utoipa::openapi::path::{Operation, Parameter, ParameterIn};
use utoipa::openapi::{Content, RefOr, Responses, Schema};

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `/api/v1/docs`: the OpenAPI document as a readable page, rendered on the
/// server from the same document (no script, no download).
pub(super) fn docs_page(doc: &utoipa::openapi::OpenApi) -> String {
    let mut out = String::new();
    page_head(&mut out, doc);
    for (path, item) in &doc.paths.paths {
        let ops = [
            ("get", &item.get),
            ("post", &item.post),
            ("delete", &item.delete),
            ("put", &item.put),
            ("patch", &item.patch),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            operation_section(&mut out, path, method, op);
        }
    }
    types_section(&mut out, doc);
    out.push_str("</body></html>");
    out
}

/// The page's head and style, the API's title and description, and how to
/// call it.
fn page_head(out: &mut String, doc: &utoipa::openapi::OpenApi) {
    out.push_str(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Ortalyq API v1</title><style>\
         body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1d2433}\
         code,pre{font:14px ui-monospace,monospace;background:#f3f4f8;border-radius:4px;padding:0 .25rem}\
         pre{padding:.6rem;overflow:auto}section{border-top:1px solid #dde;padding:.5rem 0}\
         .m{display:inline-block;min-width:4rem;font-weight:700;color:#fff;border-radius:4px;text-align:center;margin-right:.5rem}\
         .get{background:#2f6f4f}.post{background:#1f4f8f}.delete{background:#8a1c1c}\
         table{border-collapse:collapse}td,th{border:1px solid #dde;padding:.2rem .5rem;text-align:left;vertical-align:top}\
         </style></head><body>",
    );
    out.push_str(&format!(
        "<h1>{} <small>{}</small></h1><p>{}</p>",
        esc(&doc.info.title),
        esc(&doc.info.version),
        esc(doc.info.description.as_deref().unwrap_or_default())
    ));
    out.push_str(
        "<p>Machine-readable: <a href=\"/api/v1/openapi.json\"><code>/api/v1/openapi.json</code></a> \
         (OpenAPI 3.1). Tokens are created by regional admins at <code>/admin/api-tokens</code>.</p>\
         <pre>curl -H 'Authorization: Bearer oqk_…' -H 'Accept-Language: ru' \\\n  https://ortalyq.example.kz/api/v1/centers</pre>",
    );
}

/// A body's type as the page names it: the schema's name, `array of` it, or
/// `object`.
fn schema_name(r: &RefOr<Schema>) -> String {
    match r {
        RefOr::Ref(r) => r
            .ref_location
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string(),
        RefOr::T(Schema::Array(a)) => match &a.items {
            utoipa::openapi::schema::ArrayItems::RefOrSchema(inner) => match inner.as_ref() {
                RefOr::Ref(r) => format!(
                    "array of {}",
                    r.ref_location.rsplit('/').next().unwrap_or_default()
                ),
                _ => "array".into(),
            },
            _ => "array".into(),
        },
        RefOr::T(_) => "object".into(),
    }
}

/// The type of a request or response body, when it names one.
fn content_schema(c: &RefOr<Content>) -> Option<String> {
    match c {
        RefOr::T(c) => c.schema.as_ref().map(schema_name),
        RefOr::Ref(_) => None,
    }
}

/// One operation: method and path, summary, description, parameters,
/// request body and answers.
fn operation_section(out: &mut String, path: &str, method: &str, op: &Operation) {
    out.push_str(&format!(
        "<section id=\"{}\"><h2><span class=\"m {method}\">{}</span><code>{}</code></h2>",
        esc(op.operation_id.as_deref().unwrap_or_default()),
        method.to_uppercase(),
        esc(path)
    ));
    if let Some(s) = &op.summary {
        out.push_str(&format!("<p><strong>{}</strong></p>", esc(s)));
    }
    if let Some(d) = &op.description {
        out.push_str(&format!("<p>{}</p>", esc(d)));
    }
    if let Some(params) = &op.parameters {
        parameters_table(out, params);
    }
    if let Some(RefOr::T(body)) = &op.request_body {
        for (mime, content) in &body.content {
            if let Some(name) = content_schema(content) {
                out.push_str(&format!(
                    "<p>Request body ({}): <a href=\"#schema-{1}\"><code>{1}</code></a></p>",
                    esc(mime),
                    esc(&name)
                ));
            }
        }
    }
    responses_table(out, &op.responses);
    out.push_str("</section>");
}

/// The parameters of an operation: name, where it goes, description.
fn parameters_table(out: &mut String, params: &[RefOr<Parameter>]) {
    out.push_str("<table><tr><th>Parameter</th><th>In</th><th>Description</th></tr>");
    for p in params.iter().filter_map(|p| match p {
        RefOr::T(p) => Some(p),
        RefOr::Ref(_) => None,
    }) {
        let place = match p.parameter_in {
            ParameterIn::Path => "path",
            ParameterIn::Query => "query",
            ParameterIn::Header => "header",
            _ => "other",
        };
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td>{place}</td><td>{}</td></tr>",
            esc(&p.name),
            esc(p.description.as_deref().unwrap_or_default())
        ));
    }
    out.push_str("</table>");
}

/// The answers of an operation: status, description and body type.
fn responses_table(out: &mut String, responses: &Responses) {
    out.push_str("<table><tr><th>Status</th><th>Answer</th></tr>");
    for (status, resp) in &responses.responses {
        let (desc, body) = match resp {
            RefOr::T(r) => (
                r.description.clone(),
                r.content
                    .values()
                    .find_map(content_schema)
                    .unwrap_or_default(),
            ),
            RefOr::Ref(r) => (r.ref_location.clone(), String::new()),
        };
        out.push_str(&format!(
            "<tr><td>{}</td><td>{} <code>{}</code></td></tr>",
            esc(status),
            esc(&desc),
            esc(&body)
        ));
    }
    out.push_str("</table>");
}

/// Every schema of the document, pretty-printed.
fn types_section(out: &mut String, doc: &utoipa::openapi::OpenApi) {
    if let Some(c) = &doc.components {
        out.push_str("<h2>Types</h2>");
        for (name, schema) in &c.schemas {
            out.push_str(&format!(
                "<section id=\"schema-{0}\"><h3><code>{0}</code></h3><pre>{1}</pre></section>",
                esc(name),
                esc(&serde_json::to_string_pretty(schema).unwrap_or_default())
            ));
        }
    }
}
