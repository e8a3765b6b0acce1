//! Synthetic specs of growing size (`--scaling`), to show how the cost grows.

use anyhow::{Context, Result};
use std::path::Path;

/// The `--scaling` specs: reference shape and schema counts. Tree-shaped references (each schema
/// reaches its subtree) are what most specs look like; dense ones (every schema reaches nearly
/// every other, as in specs of expandable objects) stop at 1,000 because their cost is quadratic.
const SCALING: &[(Shape, &[usize])] =
    &[(Shape::Tree, &[250, 500, 1000, 2000, 4000]), (Shape::Dense, &[250, 500, 1000])];

#[derive(Clone, Copy)]
enum Shape {
    Tree,
    Dense,
}

/// Writes the `--scaling` specs into `dir`; returns their file names.
pub(super) fn write_synthetic(dir: &Path) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut names = Vec::new();
    for &(shape, sizes) in SCALING {
        for &n in sizes {
            let kind = match shape {
                Shape::Tree => "tree",
                Shape::Dense => "dense",
            };
            let name = format!("synthetic-{kind}-{n:04}.json");
            let text = serde_json::to_string_pretty(&synthetic(n, shape))?;
            std::fs::write(dir.join(&name), text).with_context(|| format!("writing {name}"))?;
            names.push(name);
        }
    }
    Ok(names)
}

/// A 3.0 spec with `n` schemas that refer to each other (fields, arrays, an inline object that
/// becomes a named type, an enum) and `n` operations over 20 tags; every fourth path has no
/// operationId, so there are warnings with pointers and lines to find, as in vendor specs.
fn synthetic(n: usize, shape: Shape) -> serde_json::Value {
    use serde_json::json;
    let model = |i: usize| json!({ "$ref": format!("#/components/schemas/Model{}", i % n) });
    // Tree: schema i refers to 2i+1, 2i+2 and 4i+3 when they exist. Dense: to pseudo-random others.
    let link = |tree: usize, dense: usize| match shape {
        Shape::Tree if tree < n => model(tree),
        Shape::Tree => json!({ "type": "string" }),
        Shape::Dense => model(dense),
    };
    let schemas: serde_json::Map<String, serde_json::Value> = (0..n)
        .map(|i| {
            let schema = json!({
                "type": "object",
                "description": format!("Model number {i}."),
                "required": ["id", "name"],
                "properties": {
                    "id": { "type": "integer", "format": "int64" },
                    "name": { "type": "string" },
                    "created_at": { "type": "string", "format": "date-time" },
                    "status": { "type": "string", "enum": ["active", "inactive", "deleted"] },
                    "first": link(2 * i + 1, 7 * i + 1),
                    "others": { "type": "array", "items": link(2 * i + 2, 13 * i + 5) },
                    "meta": {
                        "type": "object",
                        "properties": { "note": { "type": "string" }, "owner": link(4 * i + 3, i + 3) },
                    },
                    "labels": { "type": "array", "items": { "type": "string" } },
                },
            });
            (format!("Model{i}"), schema)
        })
        .collect();
    let mut paths = serde_json::Map::new();
    for j in 0..n / 2 {
        let tag = format!("tag{}", j % 20);
        let mut get = json!({
            "tags": [tag],
            "summary": format!("Get thing {j}."),
            "parameters": [
                { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                { "name": "limit", "in": "query", "schema": { "type": "integer" } },
            ],
            "responses": {
                "200": { "description": "ok", "content": { "application/json": { "schema": model(j * 2) } } },
                "404": { "description": "not found" },
            },
        });
        if j % 4 != 0 {
            get["operationId"] = json!(format!("getThing{j}"));
        }
        let post = json!({
            "operationId": format!("createThing{j}"),
            "tags": [tag],
            "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
            "requestBody": { "required": true, "content": { "application/json": { "schema": model(j * 2 + 1) } } },
            "responses": { "201": { "description": "created", "content": { "application/json": { "schema": model(j * 2 + 1) } } } },
        });
        paths.insert(format!("/things{j}/{{id}}"), json!({ "get": get, "post": post }));
    }
    json!({
        "openapi": "3.0.3",
        "info": { "title": format!("Synthetic {n}"), "version": "1.0.0" },
        "servers": [{ "url": "https://example.com" }],
        "paths": paths,
        "components": { "schemas": schemas },
    })
}
