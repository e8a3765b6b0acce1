//! The write side on hostile input: a spec path or title crafted to inject Rust or TOML into the
//! generated files, an `--out` folder that holds someone else's files or symbolic links out of it,
//! `--out /`, and a write interrupted half way (atomic replacement).

use codegen::pipeline::{self, GeneratedCrate, Options};
use codegen::write::{self, WriteOptions};
use std::path::{Path, PathBuf};

const SPEC: &str = "openapi: 3.0.3\ninfo:\n  title: Pets\n  version: '1'\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {type: array, items: {type: string}}\n";

/// A fresh, empty folder for one test.
fn temp(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hostile-writes-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn generate_from(file: &str, text: &str, name: Option<&str>) -> GeneratedCrate {
    let document = codegen::load::parse_text(text).expect("valid YAML");
    let (spec, source) = pipeline::standalone(file, document, name, Default::default());
    codegen::generate_crate(&spec, vec![source], &Options::default()).unwrap_or_else(|e| panic!("{e:#?}"))
}

fn generate() -> GeneratedCrate {
    generate_from("pets.yaml", SPEC, None)
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                out.push(path.strip_prefix(dir).expect("inside").to_string_lossy().into_owned());
            }
        }
    }
    out.sort();
    out
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).expect("readable")
}

#[test]
fn a_spec_path_and_title_with_newlines_inject_nothing() {
    let dir = temp("inject");
    let payload =
        "\n[dependencies.evil]\npath = \"/tmp/evil\"\n\nfn injected() {}\r\n#![allow(warnings)]\u{202e}\u{85}\u{2028}";
    let file = format!("specs/x{payload}.yaml");
    // YAML escapes: a newline, quotes, a bidi override, NUL and a backslash in the title.
    let title = "Pets\\n[dependencies.evil]\\npath = \\\"/tmp/evil\\\"\\u202e\\u0000\\\\";
    let text = SPEC.replace("title: Pets", &format!("title: \"{title}\""));
    let generated = generate_from(&file, &text, None);
    write::write_crate(&dir, &generated).expect("written");

    let written = files(&dir);
    assert!(written.contains(&"Cargo.toml".to_owned()) && written.contains(&"src/lib.rs".to_owned()), "{written:?}");
    for relative in &written {
        let contents = read(dir.join(relative));
        let header = contents.lines().find(|l| *l != "{").expect("a first line");
        assert!(codegen::format::is_own_header(header), "{relative}: {header}");
        assert!(
            header.contains("specs/x\\n[dependencies.evil]\\npath"),
            "{relative}: the path is shown escaped: {header}"
        );
        for line in contents.lines() {
            let line = line.trim_start();
            assert!(!line.starts_with("[dependencies.evil"), "{relative}: injected table: {line}");
            assert!(!line.starts_with("path = \"/tmp/evil\""), "{relative}: injected key: {line}");
            assert!(!line.starts_with("fn injected"), "{relative}: injected item: {line}");
            assert!(!line.starts_with("#![allow(warnings)]"), "{relative}: injected attribute: {line}");
        }
        for c in ['\r', '\u{202e}', '\u{85}', '\u{2028}', '\u{0}'] {
            assert!(!contents.contains(c), "{relative} holds {c:?} raw");
        }
    }

    let manifest: toml::Table = read(dir.join("Cargo.toml")).parse().expect("Cargo.toml is TOML");
    let dependencies = manifest["dependencies"].as_table().expect("[dependencies]");
    assert!(!dependencies.contains_key("evil"), "{dependencies:?}");
    let package = manifest["package"].as_table().expect("[package]");
    let name = package["name"].as_str().expect("name");
    assert_eq!(codegen::sanitise::package_name_problem(name), None, "{name}");
    let description = package["description"].as_str().expect("description");
    assert!(description.contains("Pets [dependencies.evil] path = \"/tmp/evil\""), "{description}");
    assert!(!description.contains(['\n', '\u{202e}', '\u{0}']), "{description:?}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn package_names_are_valid_or_a_coded_error() {
    let document = || codegen::load::parse_text(SPEC).expect("valid YAML");
    for bad in ["123", "fn", "", "test", "é"] {
        let (spec, source) = pipeline::standalone("pets.yaml", document(), Some(bad), Default::default());
        let errors = codegen::generate_crate(&spec, vec![source], &Options::default()).expect_err(bad);
        assert_eq!(errors[0].code, "E0080", "{bad}: {errors:#?}");
    }
    let generated = generate_from("pets.yaml", SPEC, Some("My\nAPI\u{202e}"));
    let manifest: toml::Table =
        generated.files.iter().find(|f| f.path == "Cargo.toml").expect("Cargo.toml").contents.parse().expect("TOML");
    assert_eq!(manifest["package"]["name"].as_str(), Some("my-api-"));
    // A title that is a keyword makes a valid name, not an error.
    let generated = generate_from("t.yaml", &SPEC.replace("title: Pets", "title: type"), None);
    let manifest = &generated.files.iter().find(|f| f.path == "Cargo.toml").expect("Cargo.toml").contents;
    assert!(manifest.contains("\nname = \"type-api\"\n"), "{manifest}");
}

#[test]
fn a_hand_written_crate_is_never_overwritten_without_force() {
    let dir = temp("hand-written");
    let manifest = "[package]\nname = \"mine\"\nversion = \"1.0.0\"\n";
    let lib = "//! My own crate.\npub fn mine() {}\n";
    std::fs::create_dir_all(dir.join("src")).expect("src");
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write");
    std::fs::write(dir.join("src/lib.rs"), lib).expect("write");

    let error = write::write_crate(&dir, &generate()).expect_err("refused");
    assert_eq!(error.code, "E0082", "{error}");
    assert_eq!(read(dir.join("Cargo.toml")), manifest);
    assert_eq!(read(dir.join("src/lib.rs")), lib);
    assert_eq!(files(&dir), ["Cargo.toml", "src/lib.rs"], "nothing else was written");

    // Another tool's `@generated` header is not ours either.
    let other = "// @generated by `other-tool` from x. Do not edit by hand.\npub fn other() {}\n";
    std::fs::write(dir.join("src/lib.rs"), other).expect("write");
    std::fs::remove_file(dir.join("Cargo.toml")).expect("remove");
    assert_eq!(write::write_crate(&dir, &generate()).expect_err("refused").code, "E0082");
    assert_eq!(read(dir.join("src/lib.rs")), other);

    // `--force` overwrites.
    write::write_crate_with(&dir, &generate(), &WriteOptions { force: true, ..Default::default() }).expect("forced");
    assert!(codegen::format::is_own_header(read(dir.join("src/lib.rs")).lines().next().unwrap_or_default()));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn other_tools_generated_files_are_never_deleted_ours_are() {
    let dir = temp("foreign");
    write::write_crate(&dir, &generate()).expect("written");
    let foreign = "// @generated by `other-tool` from x.proto. Do not edit by hand.\npub struct X;\n";
    std::fs::write(dir.join("src/other.rs"), foreign).expect("write");
    std::fs::write(dir.join("src/notes.rs"), "// hand-written\n").expect("write");
    let ours = read(dir.join("src/types.rs")).replace("pets.yaml", "gone.yaml");
    std::fs::write(dir.join("src/gone.rs"), ours).expect("write");

    let written = write::write_crate(&dir, &generate()).expect("written");
    assert_eq!(written, ["src/gone.rs"], "only our own stale file is deleted");
    assert_eq!(read(dir.join("src/other.rs")), foreign);
    assert_eq!(read(dir.join("src/notes.rs")), "// hand-written\n");
    std::fs::remove_dir_all(&dir).ok();
}

/// Crates generated before the runtime became a folder have `src/runtime.rs` (with our header),
/// which would clash with `src/runtime/mod.rs`; a runtime file that is no longer emitted goes too.
#[test]
fn the_single_file_runtime_and_retired_runtime_files_are_deleted() {
    let dir = temp("runtime-folder");
    write::write_crate(&dir, &generate()).expect("written");
    let header = read(dir.join("src/lib.rs")).lines().next().expect("a header").to_owned();
    std::fs::remove_dir_all(dir.join("src/runtime")).expect("remove");
    std::fs::write(dir.join("src/runtime.rs"), format!("{header}\npub struct Transport;\n")).expect("write");

    let written = write::write_crate(&dir, &generate()).expect("written");
    assert!(written.contains(&"src/runtime.rs".to_owned()) && written.contains(&"src/runtime/mod.rs".to_owned()));
    assert!(!dir.join("src/runtime.rs").exists());

    std::fs::write(dir.join("src/runtime/retired.rs"), format!("{header}\npub struct Old;\n")).expect("write");
    let written = write::write_crate(&dir, &generate()).expect("written");
    assert_eq!(written, ["src/runtime/retired.rs"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[cfg(unix)]
#[test]
fn symbolic_links_in_the_folder_are_refused_and_nothing_outside_changes() {
    use std::os::unix::fs::symlink;
    let base = temp("links");
    let outside = base.join("outside");
    std::fs::create_dir_all(&outside).expect("outside");
    std::fs::write(outside.join("types.rs"), "outside\n").expect("write");
    std::fs::write(outside.join("Cargo.toml"), "outside\n").expect("write");
    let outside_files = || (read(outside.join("types.rs")), read(outside.join("Cargo.toml")), files(&outside).len());
    let before = outside_files();

    // A linked folder on the way to generated files.
    let out = base.join("out-dir-link");
    std::fs::create_dir_all(&out).expect("out");
    symlink(&outside, out.join("src")).expect("symlink");
    assert_eq!(write::write_crate(&out, &generate()).expect_err("refused").code, "E0083");
    assert_eq!(outside_files(), before);
    assert!(!out.join("Cargo.toml").exists(), "nothing written");

    // A linked file where a generated file goes.
    let out = base.join("out-file-link");
    std::fs::create_dir_all(&out).expect("out");
    symlink(outside.join("Cargo.toml"), out.join("Cargo.toml")).expect("symlink");
    assert_eq!(write::write_crate(&out, &generate()).expect_err("refused").code, "E0083");
    assert_eq!(outside_files(), before);

    // A link anywhere under src/, even where no generated file goes (stale files are looked for there).
    let out = base.join("out-deep-link");
    write::write_crate(&out, &generate()).expect("written");
    symlink(outside.join("types.rs"), out.join("src/extra.rs")).expect("symlink");
    assert_eq!(write::write_crate(&out, &generate()).expect_err("refused").code, "E0083");
    assert_eq!(outside_files(), before);
    std::fs::remove_dir_all(&base).ok();
}

#[test]
fn the_root_the_home_folder_and_protected_folders_are_refused() {
    let generated = generate();
    // `plan` writes nothing, so these are safe to try.
    assert_eq!(write::plan(Path::new("/"), &generated, &WriteOptions::default()).expect_err("/").code, "E0081");
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from).filter(|h| h.is_dir()) {
        assert_eq!(write::plan(&home, &generated, &WriteOptions::default()).expect_err("home").code, "E0081");
    }
    let dir = temp("protected");
    let options = WriteOptions { protected: vec![dir.clone()], ..Default::default() };
    for out in [dir.clone(), dir.join("missing/.."), dir.join("a/b/../../.")] {
        let error = write::write_crate_with(&out, &generated, &options).expect_err("protected");
        assert_eq!(error.code, "E0081", "{}: {error}", out.display());
    }
    assert!(files(&dir).is_empty() && !dir.join("missing").exists() && !dir.join("a").exists());
    // `..` through folders that do not exist yet still resolves to `/`.
    let sneaky = dir.join("x/..").join("../".repeat(dir.components().count()));
    assert_eq!(write::plan(&sneaky, &generated, &WriteOptions::default()).expect_err("/").code, "E0081");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn generated_paths_cannot_leave_the_folder() {
    let dir = temp("escape");
    let mut generated = generate();
    generated.files.push(codegen::CrateFile { path: "../escaped.rs".into(), contents: "x".into() });
    assert_eq!(write::write_crate(&dir, &generated).expect_err("refused").code, "E0084");
    assert!(!dir.parent().expect("parent").join("escaped.rs").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn files_are_replaced_atomically_not_truncated_in_place() {
    let base = temp("atomic");
    let out = base.join("out");
    write::write_crate(&out, &generate()).expect("written");
    let old = read(out.join("Cargo.toml"));
    // A hard link sees the same inode: an in-place rewrite would change it too.
    std::fs::hard_link(out.join("Cargo.toml"), base.join("old-Cargo.toml")).expect("hard link");

    let renamed = generate_from("pets.yaml", &SPEC.replace("title: Pets", "title: Cats"), Some("pets"));
    let written = write::write_crate(&out, &renamed).expect("written");
    assert!(written.contains(&"Cargo.toml".to_owned()), "{written:?}");
    let new = read(out.join("Cargo.toml"));
    assert_ne!(new, old);
    assert!(new.contains("Cats"), "{new}");
    assert_eq!(read(base.join("old-Cargo.toml")), old, "the old file was replaced, not rewritten");
    let leftovers: Vec<String> = files(&base).into_iter().filter(|f| f.ends_with(".tmp")).collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // Unchanged files are not rewritten at all.
    assert!(write::write_crate(&out, &renamed).expect("written").is_empty());
    std::fs::remove_dir_all(&base).ok();
}

#[test]
fn a_standalone_crate_never_replaces_the_projects_crate() {
    let dir = temp("kinds");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = codegen::workspace::generate(root, &Options::default()).expect("specs generate");
    write::write_crate(&dir, &project).expect("written");
    let before: Vec<(String, String)> = files(&dir).into_iter().map(|f| (read(dir.join(&f)), f)).collect();

    let error = write::write_crate(&dir, &generate()).expect_err("refused");
    assert_eq!(error.code, "E0082", "{error}");
    assert!(error.message.contains("`cargo xtask codegen`"), "{error}");
    let after: Vec<(String, String)> = files(&dir).into_iter().map(|f| (read(dir.join(&f)), f)).collect();
    assert_eq!(before, after);
    std::fs::remove_dir_all(&dir).ok();
}
