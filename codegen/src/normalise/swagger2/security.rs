//! `securityDefinitions` into `components.securitySchemes`.

use super::{extensions, Converter};
use crate::diagnostics::Diagnostic;
use serde_json::{json, Map, Value};

impl Converter {
    pub(super) fn security_scheme(&mut self, definition: &Value, here: &str) -> Option<Value> {
        let Some(definition) = definition.as_object() else {
            self.warn_scheme(here, "the security definition is not an object: skipped");
            return None;
        };
        let kind = definition.get("type").and_then(Value::as_str).unwrap_or_default();
        let mut scheme = Map::new();
        match kind {
            "basic" => {
                scheme.insert("type".into(), json!("http"));
                scheme.insert("scheme".into(), json!("basic"));
            }
            "apiKey" => {
                scheme.insert("type".into(), json!("apiKey"));
                for key in ["name", "in"] {
                    scheme.insert(key.into(), definition.get(key).cloned().unwrap_or_default());
                }
            }
            "oauth2" => {
                let flow = definition.get("flow").and_then(Value::as_str).unwrap_or_default();
                let (name, urls): (_, &[&str]) = match flow {
                    "implicit" => ("implicit", &["authorizationUrl"]),
                    "password" => ("password", &["tokenUrl"]),
                    "application" => ("clientCredentials", &["tokenUrl"]),
                    "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                    _ => {
                        self.warn_scheme(here, &format!("oauth2 `flow: {flow}` is not a Swagger 2.0 flow: skipped"));
                        return None;
                    }
                };
                let mut flow_object = Map::new();
                for url in urls {
                    let Some(value) = definition.get(*url).filter(|v| v.is_string()) else {
                        self.warn_scheme(here, &format!("oauth2 `flow: {flow}` needs `{url}`: skipped"));
                        return None;
                    };
                    flow_object.insert((*url).into(), value.clone());
                }
                let scopes = definition.get("scopes").filter(|s| s.is_object()).cloned().unwrap_or_else(|| json!({}));
                flow_object.insert("scopes".into(), scopes);
                scheme.insert("type".into(), json!("oauth2"));
                scheme.insert("flows".into(), json!({ name: flow_object }));
            }
            _ => {
                self.warn_scheme(here, &format!("security definition `type: {kind}` is not supported: skipped"));
                return None;
            }
        }
        if let Some(description) = definition.get("description") {
            scheme.insert("description".into(), description.clone());
        }
        extensions(definition, &mut scheme);
        Some(Value::Object(scheme))
    }

    fn warn_scheme(&mut self, at: &str, message: &str) {
        self.warnings.push(Diagnostic::warning("W0016", at, message));
    }
}
