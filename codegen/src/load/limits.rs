//! The limits that keep reading an untrusted spec bounded: which files are read and how much of
//! them, how deep the document may nest, how much bundling may copy.

use crate::diagnostics::{child, Diagnostic};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

/// The largest file read: the spec given, or a file one of its `$ref`s names (E0003).
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// All the files of one spec together (E0003).
pub const MAX_TOTAL_BYTES: u64 = 256 << 20;

/// How deep the whole document may nest, after bundling and overlays (E0014): a value's JSON
/// pointer has at most this many tokens. The deepest of the 2,639 specs of the APIs.guru directory
/// nests 34 levels. One file nests at most 128 levels anyway (the JSON and YAML parsers' limit).
pub const MAX_DEPTH: usize = 128;

/// How many `$ref`s into other files may be inlined one inside another (E0016).
pub const MAX_INLINE_CHAIN: usize = 64;

/// How many JSON values bundling may copy for a spec whose files hold `input` values in all
/// (E0015): four times as many, and 250,000 more. A reference that multiplies (each level
/// referring twice to the next) is refused long before memory runs out.
pub const fn copy_budget(input: usize) -> usize {
    input.saturating_mul(4).saturating_add(250_000)
}

/// Why a file was not read: `E0003` (not a regular file, too large) or `E0001` (an I/O error, not
/// UTF-8).
#[derive(Debug)]
pub(crate) struct ReadError {
    pub(crate) code: &'static str,
    pub(crate) reason: String,
}

/// Reads `path` as text if it is a regular file (symbolic links followed) of at most `limit`
/// bytes. A FIFO, a device or a folder is refused before it is opened, so it neither blocks nor
/// streams; the file is read through a bounded reader, so one that grows meanwhile is still
/// refused, not read without end.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let io = |e: std::io::Error| ReadError { code: "E0001", reason: e.to_string() };
    let refused = |reason: String| ReadError { code: "E0003", reason };
    let check = |metadata: &std::fs::Metadata| {
        if !metadata.is_file() {
            return Err(refused(format!("it is {}, not a regular file", kind(metadata))));
        }
        if metadata.len() > limit {
            return Err(refused(format!("it has {} bytes, more than the limit of {limit}", metadata.len())));
        }
        Ok(())
    };
    check(&std::fs::metadata(path).map_err(io)?)?;
    let file = open_nonblocking(path).map_err(io)?;
    // What was opened, in case the path was replaced after the check.
    let metadata = file.metadata().map_err(io)?;
    check(&metadata)?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(refused(format!("it grew past the limit of {limit} bytes while being read")));
    }
    String::from_utf8(bytes).map_err(|e| ReadError { code: "E0001", reason: format!("it is not UTF-8 text ({e})") })
}

/// Opens `path` for reading. Where the flag's value is known, with `O_NONBLOCK`, so that a FIFO
/// swapped in after the check opens at once (and is then refused) instead of waiting for a writer;
/// the flag changes nothing for a regular file.
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(all(
        any(target_os = "linux", target_os = "android"),
        any(
            target_arch = "x86",
            target_arch = "x86_64",
            target_arch = "arm",
            target_arch = "aarch64",
            target_arch = "riscv64"
        )
    ))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, 0o4000);
    #[cfg(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ))]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, 0x4);
    options.open(path)
}

/// "a folder", "a FIFO", ... for a file that is not a regular file.
fn kind(metadata: &std::fs::Metadata) -> &'static str {
    let file_type = metadata.file_type();
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// The number of values in `value` and how deep it nests (a scalar: 0; `[1]`: 1), counted without
/// recursion; stops counting, with a result over `max_nodes`, once past it.
pub(crate) fn measure(value: &Value, max_nodes: usize) -> (usize, usize) {
    let (mut nodes, mut depth) = (0usize, 0usize);
    let mut stack = vec![(value, 0usize)];
    while let Some((value, level)) = stack.pop() {
        nodes += 1;
        depth = depth.max(level);
        if nodes > max_nodes {
            break;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().map(|v| (v, level + 1))),
            Value::Object(map) => stack.extend(map.values().map(|v| (v, level + 1))),
            _ => {}
        }
    }
    (nodes, depth)
}

/// E0014 when `document` nests deeper than [`MAX_DEPTH`], at the first value past it. Checked
/// without recursion before any stage that recurses over the document (normalising, the serde
/// model, lowering), so that a deep document is an error instead of a stack overflow.
pub fn check_depth(document: &Value) -> Result<(), Diagnostic> {
    let (_, depth) = measure(document, usize::MAX);
    if depth <= MAX_DEPTH {
        return Ok(());
    }
    // Again, keeping the path, to name the place.
    let mut stack: Vec<(&Value, Vec<String>)> = vec![(document, Vec::new())];
    let mut pointer = "#".to_owned();
    while let Some((value, tokens)) = stack.pop() {
        if tokens.len() > MAX_DEPTH {
            pointer = tokens.iter().fold(pointer, |p, t| child(&p, t));
            break;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().enumerate().map(|(i, v)| {
                let mut tokens = tokens.clone();
                tokens.push(i.to_string());
                (v, tokens)
            })),
            Value::Object(map) => stack.extend(map.iter().map(|(k, v)| {
                let mut tokens = tokens.clone();
                tokens.push(k.clone());
                (v, tokens)
            })),
            _ => {}
        }
    }
    Err(Diagnostic::error(
        "E0014",
        pointer,
        format!("the document nests {depth} levels deep, more than the limit of {MAX_DEPTH}"),
    ))
}

/// The line (1-based) where YAML flow collections (`[`, `{`) first nest deeper than `limit`, if
/// they do. The YAML scanner's work grows with the product of tokens and flow nesting (100,000
/// nested `{a: ` take minutes), and the YAML parser refuses more than 128 levels only after
/// scanning everything; this runs the same scanner alone and stops as soon as the limit is passed.
/// Text with at most `limit` brackets cannot nest deeper and is not scanned.
pub(crate) fn yaml_flow_too_deep(text: &str, limit: usize) -> Option<usize> {
    let brackets = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if brackets <= limit {
        return None;
    }
    scan_flow_depth(text, limit)
}

#[allow(unsafe_code)]
fn scan_flow_depth(text: &str, limit: usize) -> Option<usize> {
    use std::mem::MaybeUninit;
    use unsafe_libyaml::{
        yaml_parser_delete, yaml_parser_initialize, yaml_parser_scan, yaml_parser_set_input_string, yaml_parser_t,
        yaml_token_delete, yaml_token_t, YAML_FLOW_MAPPING_END_TOKEN, YAML_FLOW_MAPPING_START_TOKEN,
        YAML_FLOW_SEQUENCE_END_TOKEN, YAML_FLOW_SEQUENCE_START_TOKEN, YAML_NO_TOKEN, YAML_STREAM_END_TOKEN,
    };
    let mut parser = MaybeUninit::<yaml_parser_t>::uninit();
    let mut token = MaybeUninit::<yaml_token_t>::uninit();
    let parser = parser.as_mut_ptr();
    let token = token.as_mut_ptr();
    // SAFETY: the same calls serde_yaml makes (through the parser API) on the same text, in the
    // order libyaml documents: initialize, set the input (which outlives the parser), scan tokens
    // (each zeroed by `yaml_parser_scan` before it is filled, and deleted once read; after an
    // error or the end of the stream the scanner returns empty tokens), delete. Nothing is read
    // from a token other than its type and start mark.
    unsafe {
        if !yaml_parser_initialize(parser).ok {
            // Out of memory: let the real parse report it.
            return None;
        }
        yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as u64);
        let mut depth = 0usize;
        let mut found = None;
        loop {
            if !yaml_parser_scan(parser, token).ok {
                // A syntax error: the real parse reports it, and stops there too.
                break;
            }
            let kind = (*token).type_;
            match kind {
                YAML_FLOW_SEQUENCE_START_TOKEN | YAML_FLOW_MAPPING_START_TOKEN => {
                    depth += 1;
                    if depth > limit {
                        found = Some(usize::try_from((*token).start_mark.line).unwrap_or(usize::MAX).saturating_add(1));
                    }
                }
                YAML_FLOW_SEQUENCE_END_TOKEN | YAML_FLOW_MAPPING_END_TOKEN => {
                    depth = depth.saturating_sub(1);
                }
                _ => {}
            }
            yaml_token_delete(token);
            if found.is_some() || kind == YAML_STREAM_END_TOKEN || kind == YAML_NO_TOKEN {
                break;
            }
        }
        yaml_parser_delete(parser);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn flow_depth_is_found_without_parsing() {
        let deep = format!("a: {}1{}\n", "[".repeat(200), "]".repeat(200));
        assert_eq!(yaml_flow_too_deep(&deep, 128), Some(1));
        let shallow = format!("a:\n{}", "  b: [1, {c: [2]}]\n".repeat(100));
        assert_eq!(yaml_flow_too_deep(&shallow, 128), None);
        // Brackets in quotes, comments and block scalars are not flow collections.
        let quoted = format!("a: '{}'\n# {}\nb: |\n  {}\n", "[".repeat(300), "{".repeat(300), "[".repeat(300));
        assert_eq!(yaml_flow_too_deep(&quoted, 128), None);
        // 100,000 levels would take minutes to scan; the scan stops at the limit.
        let started = std::time::Instant::now();
        assert_eq!(yaml_flow_too_deep(&"{a: ".repeat(100_000), 128), Some(1));
        assert!(started.elapsed().as_secs() < 5);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_fifo_swapped_in_after_the_check_opens_without_waiting() {
        let fifo = std::env::temp_dir().join(format!("codegen-limits-fifo-{}", std::process::id()));
        let _ = std::fs::remove_file(&fifo);
        if !std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            return;
        }
        // No writer: a blocking open would wait for ever.
        let opened = open_nonblocking(&fifo).and_then(|file| file.metadata());
        let _ = std::fs::remove_file(&fifo);
        assert!(!opened.expect("opens").is_file());
    }

    #[test]
    fn depth_is_checked_without_recursion() {
        let mut value = json!(1);
        for _ in 0..MAX_DEPTH {
            value = json!([value]);
        }
        assert!(check_depth(&value).is_ok());
        let value = json!({"a": value});
        let err = check_depth(&value).unwrap_err();
        assert_eq!(err.code, "E0014");
        assert_eq!(err.pointer, format!("#/a{}", "/0".repeat(MAX_DEPTH)));
        assert_eq!(measure(&json!({"a": [1, 2], "b": {}}), usize::MAX), (5, 2));
    }
}
