//! The read side on hostile input: a spec whose `$ref`s reach for files outside its folder (`..`,
//! absolute paths, `%2e%2e`, symbolic links), for a FIFO, a device or a huge file; references that
//! multiply or chain without end; nesting that overflowed the stack or made the parsers quadratic;
//! duplicate keys and a byte order mark. Each case is built in a folder of its own under the system
//! temp dir, beside a planted secret whose content must never reach a document or a diagnostic, and
//! must finish (the test fails instead of hanging) with its code.

use codegen::Diagnostic;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// In `secret.yaml` and `secret.txt`, beside the spec's folder.
const SECRET: &str = "SECRET-7f3a-do-not-leak";

/// `case/spec/` holds the spec; `case/secret.yaml` must stay unread.
struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("hostile-inputs-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).expect("temp dir");
        let secret = format!("x:\n  name: {SECRET}\n  in: query\n  schema: {{type: string}}\n");
        std::fs::write(dir.join("secret.yaml"), secret).expect("secret");
        std::fs::write(dir.join("secret.txt"), SECRET).expect("secret");
        Self { dir }
    }

    fn spec(&self) -> PathBuf {
        self.dir.join("spec")
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.spec().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(&path, text).expect("write");
        path
    }

    /// A spec whose one parameter is `$ref: {reference}`, at `#/paths/~1a/get/parameters/0`.
    fn with_parameter_ref(&self, reference: &str) -> PathBuf {
        self.write("openapi.yaml", &parameter_ref(reference))
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

const PARAMETER_POINTER: &str = "#/paths/~1a/get/parameters/0";

fn parameter_ref(reference: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '{reference}'\n      responses:\n        '200': {{description: ok}}\n"
    )
}

/// Runs `f` on a thread of its own and fails the test if it takes longer than `seconds`: a hang
/// is a failure, not a stuck test run.
fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(Duration::from_secs(seconds)) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("did not finish within {seconds} s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("panicked"),
    }
}

/// Loads `path` (bounded in time), expecting an error; checks that the secret is not in it.
fn load_error(path: &Path) -> Diagnostic {
    let path = path.to_path_buf();
    let result = within(20, move || codegen::load::load(&path).map(|l| (l.document, l.warnings)));
    let err = match result {
        Ok((document, warnings)) => panic!("expected an error, got {document:#} and {warnings:#?}"),
        Err(err) => err,
    };
    assert_no_secret(&format!("{err} {err:?}"));
    err
}

fn assert_no_secret(text: &str) {
    assert!(!text.contains(SECRET), "the secret leaked: {text}");
}

fn assert_at(err: &Diagnostic, code: &str, file: &str, pointer: &str) {
    assert_eq!((err.code, err.pointer.as_str()), (code, pointer), "{err}");
    assert!(err.file.ends_with(file), "{err}");
}

#[test]
fn a_ref_up_and_out_of_the_folder_is_refused() {
    let case = Case::new("dotdot");
    for reference in ["../secret.yaml#/x", "../../../../../../../../etc/passwd#/x", "./../spec/../../secret.yaml#/x"] {
        let err = load_error(&case.with_parameter_ref(reference));
        assert_at(&err, "E0009", "openapi.yaml", PARAMETER_POINTER);
        assert!(err.message.contains(reference) && err.message.contains("outside the folder"), "{err}");
    }
}

#[test]
fn an_absolute_path_outside_is_refused_and_inside_is_read() {
    let case = Case::new("absolute");
    let secret = case.dir.join("secret.yaml").display().to_string();
    let err = load_error(&case.with_parameter_ref(&format!("{secret}#/x")));
    assert_at(&err, "E0009", "openapi.yaml", PARAMETER_POINTER);
    let err = load_error(&case.with_parameter_ref("/etc/passwd"));
    assert_eq!(err.code, "E0009", "{err}");

    // An absolute path into the spec's own folder is a file like any other.
    case.write("params.yaml", "limit:\n  name: limit\n  in: query\n  schema: {type: integer}\n");
    let inside = case.spec().canonicalize().expect("canonical").join("params.yaml").display().to_string();
    let loaded = codegen::load::load(&case.with_parameter_ref(&format!("{inside}#/limit"))).expect("loads");
    assert_eq!(loaded.document["paths"]["/a"]["get"]["parameters"][0]["name"], "limit");
}

#[test]
fn a_percent_encoded_dotdot_is_refused() {
    let case = Case::new("percent");
    for reference in ["%2e%2e/secret.yaml#/x", "%2E%2E%2Fsecret.yaml#/x", "sub/%2e%2e/%2e%2e/secret.yaml#/x"] {
        let err = load_error(&case.with_parameter_ref(reference));
        assert_at(&err, "E0009", "openapi.yaml", PARAMETER_POINTER);
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_folder_is_refused() {
    let case = Case::new("symlink");
    std::os::unix::fs::symlink(case.dir.join("secret.yaml"), case.spec().join("link.yaml")).expect("link");
    std::os::unix::fs::symlink(&case.dir, case.spec().join("up")).expect("link");
    std::os::unix::fs::symlink("/dev/zero", case.spec().join("zero.yaml")).expect("link");
    for reference in ["link.yaml#/x", "up/secret.yaml#/x", "up/spec/../secret.yaml#/x", "zero.yaml"] {
        let err = load_error(&case.with_parameter_ref(reference));
        assert_at(&err, "E0009", "openapi.yaml", PARAMETER_POINTER);
    }
    // The same in a schema (hoisted), a discriminator mapping and a vendor extension: nothing that
    // names a file reads it.
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: 'link.yaml#/x'\n";
    assert_eq!(load_error(&case.write("schema.yaml", spec)).code, "E0009");
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      oneOf: [{type: object}]\n      discriminator:\n        propertyName: kind\n        mapping:\n          b: 'link.yaml#/x'\n";
    let err = load_error(&case.write("mapping.yaml", spec));
    assert_at(&err, "E0009", "mapping.yaml", "#/components/schemas/A/discriminator/mapping/b");
    let spec = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  x-guide:\n    $ref: 'up/secret.txt'\npaths: {}\n";
    assert_at(&load_error(&case.write("extension.yaml", spec)), "E0009", "extension.yaml", "#/info/x-guide");
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let case = Case::new("fifo");
    let fifo = case.spec().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let err = load_error(&case.with_parameter_ref("pipe.yaml"));
    assert_at(&err, "E0003", "openapi.yaml", PARAMETER_POINTER);
    assert!(err.message.contains("a FIFO, not a regular file"), "{err}");
    // As the spec itself.
    let err = load_error(&fifo);
    assert_eq!((err.code, err.pointer.as_str()), ("E0003", "#"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_device_as_the_spec_is_refused_without_reading_it() {
    for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
        if !Path::new(device).exists() {
            continue;
        }
        let err = load_error(Path::new(device));
        assert_eq!((err.code, err.pointer.as_str()), ("E0003", "#"), "{err}");
        assert!(err.message.contains("a device, not a regular file"), "{err}");
    }
}

#[test]
fn a_folder_or_a_file_over_the_size_limit_is_refused_unread() {
    let case = Case::new("size");
    std::fs::create_dir_all(case.spec().join("folder.yaml")).expect("folder");
    let err = load_error(&case.with_parameter_ref("folder.yaml"));
    assert_at(&err, "E0003", "openapi.yaml", PARAMETER_POINTER);
    assert!(err.message.contains("a folder"), "{err}");

    // Sparse: no disk space, and never read.
    let big = case.spec().join("big.yaml");
    std::fs::File::create(&big).and_then(|f| f.set_len(codegen::load::MAX_FILE_BYTES + 1)).expect("sparse file");
    let err = load_error(&case.with_parameter_ref("big.yaml"));
    assert_at(&err, "E0003", "openapi.yaml", PARAMETER_POINTER);
    assert!(err.message.contains("more than the limit"), "{err}");
    let err = load_error(&big);
    assert_eq!((err.code, err.pointer.as_str()), ("E0003", "#"), "{err}");
}

#[test]
fn references_that_multiply_are_refused() {
    let case = Case::new("bomb");
    // Each level refers twice to the next: 2^40 copies of the last one. Padding makes every copy
    // count, so the budget is met after a few thousand copies.
    let levels = 40;
    let padding = format!("[{}]", vec!["0"; 300].join(", "));
    for i in 0..levels {
        case.write(
            &format!("l{i}.yaml"),
            &format!("a: {{$ref: 'l{0}.yaml'}}\nb: {{$ref: 'l{0}.yaml'}}\npad: {padding}\n", i + 1),
        );
    }
    case.write(&format!("l{levels}.yaml"), "end: true\n");
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: 'l0.yaml'\n";
    let err = load_error(&case.write("openapi.yaml", spec));
    assert_eq!(err.code, "E0015", "{err}");
    assert!(err.message.contains("references that multiply"), "{err}");

    // The same with YAML aliases in one file (a "billion laughs").
    let mut text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n".to_owned();
    for i in 1..10 {
        let aliases = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("x-a{i}: &a{i} [{aliases}]\n"));
    }
    let err = load_error(&case.write("laughs.yaml", &text));
    assert_eq!(err.code, "E0015", "{err}");

    // One anchor and many aliases to it: 25 KB would make 25 million values.
    let items = vec!["1"; 5_000].join(",");
    let aliases = vec!["*a"; 5_000].join(",");
    let text =
        format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\nx-a: &a [{items}]\nx-b: [{aliases}]\n");
    let err = load_error(&case.write("aliases.yaml", &text));
    assert_eq!(err.code, "E0015", "{err}");
    assert!(err.message.contains("too many values"), "{err}");
}

#[test]
fn a_long_chain_of_inlined_references_is_refused() {
    let case = Case::new("chain");
    let length = 200;
    for i in 0..length {
        case.write(&format!("c{i}.yaml"), &format!("$ref: 'c{}.yaml'\n", i + 1));
    }
    case.write(&format!("c{length}.yaml"), "name: id\nin: query\n");
    let err = load_error(&case.with_parameter_ref("c0.yaml"));
    assert_eq!(err.code, "E0016", "{err}");
    assert!(err.message.contains("reference number 65 in a chain"), "{err}");

    // A chain within the limit is fine.
    let loaded = codegen::load::load(&case.with_parameter_ref(&format!("c{}.yaml", length - 40))).expect("loads");
    assert_eq!(loaded.document["paths"]["/a"]["get"]["parameters"][0]["name"], "id");
}

#[test]
fn a_long_chain_of_schemas_is_one_component_each() {
    let case = Case::new("schemas");
    let length = 300;
    for i in 0..length {
        let text = format!("type: object\nproperties:\n  next:\n    $ref: 's{}.yaml'\n", i + 1);
        case.write(&format!("s{i}.yaml"), &text);
    }
    case.write(&format!("s{length}.yaml"), "type: string\n");
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Root:\n      $ref: 's0.yaml'\n";
    let path = case.write("openapi.yaml", spec);
    let loaded = within(20, move || codegen::load::load(&path).expect("loads"));
    let schemas = loaded.document["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas.len(), length + 1);
}

/// Text that is `levels` deep: `open` repeated, then `inner`, then `close` repeated.
fn nested(open: &str, inner: &str, close: &str, levels: usize) -> String {
    format!("{}{inner}{}", open.repeat(levels), close.repeat(levels))
}

#[test]
fn deep_nesting_in_one_file_is_an_error_and_fast() {
    let case = Case::new("deep");
    let cases = [
        ("brackets.json", "[".repeat(100_000)),
        ("balanced.json", nested("[", "1", "]", 100_000)),
        ("objects.json", nested("{\"a\": ", "1", "}", 100_000)),
        ("allof.json", nested("{\"allOf\": [", "{}", "]}", 50_000)),
        ("properties.json", nested("{\"properties\": {\"a\": ", "{}", "}}", 50_000)),
        ("flow.yaml", "{a: ".repeat(100_000)),
        ("flow-brackets.yaml", format!("openapi: {}", "[".repeat(100_000))),
        ("block.yaml", (0..200).map(|i| format!("{}a:\n", " ".repeat(i))).collect()),
    ];
    for (name, text) in cases {
        let path = case.write(name, &text);
        let started = std::time::Instant::now();
        let err = load_error(&path);
        assert_eq!(err.code, "E0014", "{name}: {err}");
        assert!(err.line.is_some(), "{name}: {err}");
        assert!(started.elapsed() < Duration::from_secs(5), "{name}: {:?}", started.elapsed());
    }
}

#[test]
fn deep_nesting_across_files_is_an_error_not_a_stack_overflow() {
    let case = Case::new("deep-files");
    // Each file nests 100 levels (within one file's limit) and refers to the next at the bottom.
    for i in 0..5 {
        let inner = format!("{{\"$ref\": \"d{}.json\"}}", i + 1);
        case.write(&format!("d{i}.json"), &nested("{\"a\": ", &inner, "}", 100));
    }
    case.write("d5.json", "1");
    let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              example:\n                $ref: 'd0.json'\n";
    let err = load_error(&case.write("openapi.yaml", spec));
    assert_eq!(err.code, "E0014", "{err}");
    assert!(err.message.contains("more than the limit of 128"), "{err}");
}

#[test]
fn a_deep_document_handed_to_the_pipeline_is_an_error() {
    // What an overlay could build: nothing recurses over it before the depth check.
    let mut value = Value::from(1);
    for _ in 0..2_000 {
        value = Value::Array(vec![value]);
    }
    let mut document = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}});
    document["x-deep"] = value;
    let errors = within(20, move || codegen::lower_document("spec.yaml", document, &Default::default()).map(drop))
        .expect_err("too deep");
    assert_eq!(errors[0].code, "E0014", "{errors:#?}");
    assert!(errors[0].pointer.starts_with("#/x-deep/0/0"), "{errors:#?}");
}

#[test]
fn duplicate_keys_are_warnings_naming_the_key() {
    let case = Case::new("duplicates");
    let json =
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1", "title": "u"}, "paths": {}, "paths": {}}"#;
    let loaded = codegen::load::load(&case.write("spec.json", json)).expect("loads");
    let found: Vec<(&str, &str)> = loaded.warnings.iter().map(|d| (d.code, d.pointer.as_str())).collect();
    assert_eq!(found, [("W0005", "#/info/title"), ("W0005", "#/paths")]);
    assert!(loaded.warnings[0].message.contains("duplicate key `title`"), "{:?}", loaded.warnings);
    assert_eq!(loaded.document["info"]["title"], "u", "the last value is used");

    let yaml = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: {}\n    get:\n      responses: {}\n";
    let loaded = codegen::load::load(&case.write("spec.yaml", yaml)).expect("loads");
    let found: Vec<(&str, &str)> = loaded.warnings.iter().map(|d| (d.code, d.pointer.as_str())).collect();
    assert_eq!(found, [("W0005", "#/paths/~1a/get")]);

    // In a file a `$ref` names: that file and its pointer.
    case.write("params.yaml", "p:\n  name: a\n  name: b\n  in: query\n");
    let loaded = codegen::load::load(&case.with_parameter_ref("params.yaml#/p")).expect("loads");
    let found: Vec<(&str, &str)> = loaded.warnings.iter().map(|d| (d.code, d.pointer.as_str())).collect();
    assert_eq!(found, [("W0005", "#/p/name")]);
    assert!(loaded.warnings[0].file.ends_with("params.yaml"), "{:?}", loaded.warnings);
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let case = Case::new("bom");
    let yaml = "\u{feff}openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    assert_eq!(codegen::load::load(&case.write("spec.yaml", yaml)).expect("loads").document["openapi"], "3.0.3");
    let json = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}";
    assert_eq!(codegen::load::load(&case.write("spec.json", json)).expect("loads").document["openapi"], "3.0.3");
}

#[test]
fn json_errors_are_reported_as_json_and_flow_yaml_still_reads() {
    let err =
        codegen::load::parse_text("{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\" \"version\": 1}\n}")
            .unwrap_err();
    assert_eq!((err.code, err.line), ("E0002", Some(3)), "{err}");
    assert!(err.message.starts_with("not valid JSON") && err.message.contains("column"), "{err}");
    let err = codegen::load::parse_text("{\"openapi\": \"3.0.3\"").unwrap_err();
    assert!(err.message.starts_with("not valid JSON"), "{err}");
    // YAML in flow style starts like JSON.
    let value = codegen::load::parse_text("{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}").expect("YAML");
    assert_eq!(value["info"]["title"], "t");
}

#[test]
fn an_unreadable_spec_is_coded() {
    let case = Case::new("unreadable");
    let err = load_error(&case.spec().join("missing.yaml"));
    assert_eq!((err.code, err.pointer.as_str()), ("E0001", "#"), "{err}");
    let latin1 = case.spec().join("latin1.yaml");
    std::fs::write(&latin1, b"openapi: 3.0.3\ninfo: {title: caf\xe9}\n").expect("write");
    let err = load_error(&latin1);
    assert_eq!(err.code, "E0001", "{err}");
    assert!(err.message.contains("not UTF-8"), "{err}");
}
