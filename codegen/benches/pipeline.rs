//! Each pipeline stage on one large spec: `cargo bench -p codegen --bench pipeline [-- --quick]`.
//!
//! The spec is GitHub's REST API from `../shared/corpus/` (771 operations, 3.6 MB), or the file
//! named by `PIPELINE_BENCH_SPEC`; without either, the project's own Thena spec, so the bench
//! always runs. Each stage gets its input ready-made outside the timed part.

use codegen::emit;
use codegen::pipeline::ApiOptions;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn spec_path() -> PathBuf {
    if let Some(path) = std::env::var_os("PIPELINE_BENCH_SPEC") {
        return PathBuf::from(path);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let github = root.join("../shared/corpus/github/api.github.com-2021-10-10.json");
    if github.is_file() {
        github
    } else {
        root.join("specs/thena-platform.yaml")
    }
}

fn stages(c: &mut Criterion) {
    let path = spec_path();
    let name = path.file_name().map_or_else(|| "spec".into(), |n| n.to_string_lossy().into_owned());
    let text = std::fs::read_to_string(&path).expect("reading the bench spec");
    let document = codegen::load::parse_text(&text).expect("the bench spec parses");
    let mut normalised = document.clone();
    codegen::normalise::normalise(&mut normalised).expect("the bench spec normalises");
    let spec = codegen::parse::parse(&normalised).expect("the bench spec is OpenAPI");
    let options = ApiOptions::default();
    let api = codegen::lower::lower(&spec, &options).api;
    let features = emit::TagFeatures::of(&api);

    let mut group = c.benchmark_group(format!("pipeline/{name}"));
    // Iterations take tens to hundreds of milliseconds: few samples, one iteration each.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));

    group.bench_function("load", |b| b.iter(|| codegen::load::load(black_box(&path)).expect("load")));
    group.bench_function("parse_text", |b| b.iter(|| codegen::load::parse_text(black_box(&text)).expect("parse")));
    group.bench_function("normalise", |b| {
        b.iter_batched(
            || document.clone(),
            |mut document| codegen::normalise::normalise(&mut document).map(|_| document),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("parse", |b| b.iter(|| codegen::parse::parse(black_box(&normalised)).expect("parse")));
    group.bench_function("lower", |b| b.iter(|| codegen::lower::lower(black_box(&spec), &options)));
    group.bench_function("tag_features", |b| b.iter(|| emit::TagFeatures::of(black_box(&api))));
    group.bench_function("emit_types", |b| b.iter(|| emit::types_module_gated(black_box(&api), &features)));
    group.bench_function("emit_client", |b| b.iter(|| emit::client_module_gated(black_box(&api), &features)));
    // Fresh tokens per iteration: formatting a clone would also time copying its shared buffers.
    group.bench_function("format_types", |b| {
        b.iter_batched(
            || emit::types_module_gated(&api, &features),
            |tokens| codegen::format::rust_file("//", tokens, "types").expect("format"),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("format_client", |b| {
        b.iter_batched(
            || emit::client_module_gated(&api, &features),
            |tokens| codegen::format::rust_file("//", tokens, "client").expect("format"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
